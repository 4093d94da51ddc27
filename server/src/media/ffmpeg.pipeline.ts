import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ProcessError } from './ffmpeg.runner';

export interface TappedRunOptions {
  signal?: AbortSignal;
  /** Kill both processes after this long. */
  timeoutMs?: number;
}

export interface TappedRunResult {
  /** Everything the tap process wrote to its stdout (empty without a tap). */
  tapStdout: Buffer;
}

const STDERR_LIMIT = 16_384;
const QUIET = ['-hide_banner', '-loglevel', 'error', '-y'];

/**
 * Runs an ffmpeg encode and, optionally, a second ffmpeg (the "tap") that reads the encoder's stdout while it
 * encodes — e.g. the encoder's tee muxer writes the MP4 and a copy of the same packets to stdout, and the tap
 * decodes them for the quality gate, so checking the output costs no time after the encode.
 *
 * `produce` (optional) streams the encoder's stdin; its `write` resolves only once the chunk has been handed
 * to the OS pipe, so the producer may reuse that memory for its next frame. Without `produce`, stdin is
 * closed at once. Resolves when both processes exit 0; any failure kills both and rejects (an encoder or tap
 * exit with an error carries its stderr tail as a ProcessError).
 */
export function runFfmpegTapped(
  ffmpeg: string,
  encodeArgs: string[],
  tapArgs: string[] | null,
  produce: ((write: (chunk: Uint8Array) => Promise<void>) => Promise<void>) | null,
  opts: TappedRunOptions = {},
): Promise<TappedRunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(opts.signal));
    const procs: { name: string; child: ChildProcessWithoutNullStreams; err: string; code: number | null | undefined }[] = [];
    const start = (args: string[]) => {
      const p = { name: ffmpeg, child: spawn(ffmpeg, [...QUIET, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), err: '', code: undefined as number | null | undefined };
      p.child.stderr.on('data', (d: Buffer) => {
        p.err = (p.err + d.toString()).slice(-STDERR_LIMIT);
      });
      p.child.stdin.on('error', () => {}); // EPIPE when it exits early; the exit code tells the story
      procs.push(p);
      return p;
    };
    const enc = start(encodeArgs);
    const tap = tapArgs ? start(tapArgs) : null;
    const out: Buffer[] = [];
    if (tap) {
      enc.child.stdout.pipe(tap.child.stdin);
      tap.child.stdout.on('data', (d: Buffer) => out.push(d));
    } else enc.child.stdout.resume();
    let settled = false;
    const finish = (e: Error | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) {
        for (const p of procs) if (p.code === undefined) p.child.kill('SIGKILL');
        reject(e);
      } else resolve({ tapStdout: Buffer.concat(out) });
    };
    const failed = () => procs.find((p) => p.code !== undefined && p.code !== 0);
    const onAbort = () => finish(abortError(opts.signal!));
    const timer = opts.timeoutMs ? setTimeout(() => finish(new Error(`${ffmpeg} timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs) : null;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    for (const p of procs) {
      p.child.on('error', (e) => finish(e));
      p.child.on('close', (code) => {
        p.code = code;
        if (code !== 0) return finish(new ProcessError(p.name, code, p.err));
        if (procs.every((q) => q.code === 0)) finish(null);
      });
    }
    if (!produce) {
      enc.child.stdin.end();
      return;
    }
    const write = (chunk: Uint8Array) =>
      new Promise<void>((res, rej) => {
        if (settled) return rej(new Error('ffmpeg stopped reading'));
        enc.child.stdin.write(chunk, (e) => (e ? rej(e) : res()));
      });
    produce(write).then(
      () => enc.child.stdin.end(),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        // A write that failed because ffmpeg exited: report ffmpeg's own error once its exit is seen.
        if (settled || opts.signal?.aborted) return finish(err);
        const grace = setTimeout(() => finish(failed() ? new ProcessError(ffmpeg, failed()!.code!, failed()!.err) : err), 500);
        enc.child.once('close', () => {
          clearTimeout(grace);
          finish(failed() ? new ProcessError(ffmpeg, failed()!.code!, failed()!.err) : err);
        });
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The render was aborted', 'AbortError');
}
