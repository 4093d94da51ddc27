import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts media tools from a small helper process instead of from this one. Linux's fork() copies the page
 * tables of the spawning process: from a worker holding 600 MB (face model, sprites, frames) each spawn blocked
 * the event loop ≈ 30 ms and cost ≈ 15 ms of CPU (measured: 1 ms at 0 MB, 6 ms at 200 MB, 15 ms at 600 MB), and
 * a campaign contact starts seven tools. The helper (launcher.child.mjs, plain Node, ≈ 40 MB) is started once, on
 * first use; a tool's stdout goes to a temporary file this process reads (one copy, however large), its exit code
 * and stderr come back over the IPC channel. The helper exits with this process and kills what it started,
 * so a SIGKILLed worker leaves no ffmpeg behind.
 */
export interface LaunchRequest {
  command: string;
  args: string[];
  input?: Buffer | string;
}

export interface LaunchResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

interface Pending {
  resolve: (r: Omit<LaunchResult, 'stdout'>) => void;
  reject: (e: Error) => void;
}

type ChildMessage =
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  | { type: 'error'; id: number; message: string; code?: string };

const CHILD = fileURLToPath(new URL('./launcher.child.mjs', import.meta.url));

export class ProcessLauncher {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Runs one tool to completion; `kill(id)` (from the returned handle) stops it. */
  start(req: LaunchRequest): { id: number; done: Promise<LaunchResult> } {
    const child = this.ensure();
    const id = this.nextId++;
    const stdoutFile = path.join(os.tmpdir(), `mvs-tool-${process.pid}-${id}-${randomBytes(6).toString('hex')}.out`);
    const exited = new Promise<Omit<LaunchResult, 'stdout'>>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) child.channel?.ref();
    child.send({ type: 'run', id, command: req.command, args: req.args, input: req.input, stdoutFile });
    const done = exited
      .then(async (r) => ({ ...r, stdout: await fs.readFile(stdoutFile).catch(() => Buffer.alloc(0)) }))
      .finally(() => fs.rm(stdoutFile, { force: true }).catch(() => {}));
    return { id, done };
  }

  kill(id: number): void {
    if (this.pending.has(id)) this.child?.send({ type: 'kill', id });
  }

  /** Stops the helper (tests; a process exit does it by itself). */
  close(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  private ensure(): ChildProcess {
    if (this.child?.connected) return this.child;
    const child = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    child.on('message', (m: ChildMessage) => this.settle(m));
    const lost = (why: string) => {
      if (this.child === child) this.child = null;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`the process launcher ${why}`));
      }
    };
    child.on('exit', (code, signal) => lost(`exited (${signal ?? code}) while a tool was running`));
    child.on('error', (e) => lost(`failed: ${e.message}`));
    // Idle, the helper must not keep this process alive.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private settle(m: ChildMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.child?.channel?.unref();
    if (m.type === 'error') p.reject(Object.assign(new Error(m.message), { code: m.code, syscall: 'spawn' }));
    else p.resolve({ code: m.code, signal: m.signal, stderr: m.stderr });
  }
}
