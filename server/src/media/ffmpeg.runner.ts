import { spawn } from 'node:child_process';
import { ProcessLauncher } from './launcher';

export interface RunOptions {
  signal?: AbortSignal;
  /** Bytes written to the child's stdin (then closed). */
  input?: Buffer | string;
  /** Kill the child after this long. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Thrown when a media tool exits non-zero; carries the tail of its stderr. */
export class ProcessError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? 'signal'}): ${stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'ProcessError';
  }
}

const STDERR_LIMIT = 16_384;

let launcher: ProcessLauncher | null = null;

/**
 * Whether tools start from the process launcher (launcher.ts: a small helper process, so a spawn does not copy
 * this process's page tables) or straight from this process (`MEDIA_LAUNCHER=off`).
 */
export function usesLauncher(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.MEDIA_LAUNCHER ?? 'on') !== 'off';
}

/** Runs a media tool (ffmpeg, ffprobe, espeak-ng), collects stdout, kills it on abort or timeout. */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return usesLauncher() ? runLaunched(command, args, opts) : runSpawned(command, args, opts);
}

function runLaunched(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(opts.signal));
    launcher ??= new ProcessLauncher();
    const l = launcher;
    const run = l.start({ command, args, input: opts.input });
    let settled = false;
    const finish = (e: Error | null, r?: RunResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve(r!);
    };
    const onAbort = () => {
      l.kill(run.id);
      finish(abortError(opts.signal!));
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          l.kill(run.id);
          finish(new Error(`${command} timed out after ${opts.timeoutMs} ms`));
        }, opts.timeoutMs)
      : null;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    run.done.then(
      (r) => (r.code === 0 ? finish(null, { stdout: r.stdout, stderr: r.stderr }) : finish(new ProcessError(command, r.code, r.stderr))),
      (e: Error) => finish(e),
    );
  });
}

function runSpawned(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(opts.signal));
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve({ stdout: Buffer.concat(out), stderr: err });
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(abortError(opts.signal!));
    };
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          finish(new Error(`${command} timed out after ${opts.timeoutMs} ms`));
        }, opts.timeoutMs)
      : null;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-STDERR_LIMIT);
    });
    child.on('error', (e) => finish(e));
    child.on('close', (code) => {
      if (code === 0) finish(null);
      else finish(new ProcessError(command, code, err));
    });
    // A child that exits early closes stdin; ignore EPIPE, the exit code tells the story.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? undefined);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The render was aborted', 'AbortError');
}

/** Runs ffmpeg with `-nostdin`-safe defaults (quiet, overwrite); `args` come from the pure builders in ffmpeg-args.ts. */
export function runFfmpeg(ffmpeg: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], opts);
}

/**
 * Runs ffmpeg and streams its stdin from `produce`, which awaits `write` for backpressure (frames are large).
 * Resolves when ffmpeg exits 0; a producer error or an early ffmpeg exit rejects and kills the other side.
 */
export function runFfmpegPiped(
  ffmpeg: string,
  args: string[],
  produce: (write: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
  opts: Omit<RunOptions, 'input'> = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(opts.signal));
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    let exited = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) {
        if (!exited) child.kill('SIGKILL');
        reject(e);
      } else resolve({ stdout: Buffer.concat(out), stderr: err });
    };
    const onAbort = () => finish(abortError(opts.signal!));
    const timer = opts.timeoutMs ? setTimeout(() => finish(new Error(`${ffmpeg} timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs) : null;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-STDERR_LIMIT);
    });
    child.on('error', (e) => finish(e));
    child.on('close', (code) => {
      exited = true;
      if (code === 0) finish(null);
      else finish(new ProcessError(ffmpeg, code, err));
    });
    child.stdin.on('error', () => {});
    const write = (chunk: Uint8Array) =>
      new Promise<void>((res, rej) => {
        if (settled) return rej(new Error('ffmpeg stopped reading'));
        if (child.stdin.write(chunk)) res();
        else {
          const onDrain = () => {
            child.off('close', onClose);
            res();
          };
          const onClose = () => {
            child.stdin.off('drain', onDrain);
            rej(new Error('ffmpeg exited while frames were being written'));
          };
          child.stdin.once('drain', onDrain);
          child.once('close', onClose);
        }
      });
    produce(write).then(
      () => child.stdin.end(),
      (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
    );
  });
}
