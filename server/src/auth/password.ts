import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';

type Job = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };
interface Pending {
  job: Job;
  resolve(v: string | boolean): void;
  reject(e: Error): void;
}

/** Waiting hashes per worker before new ones are refused with 503 server_busy (a login flood queues no further). */
const QUEUE_PER_WORKER = 32;

/**
 * bcrypt hashing in a small pool of worker threads (BCRYPT_CONCURRENCY, default 1). bcrypt is CPU work by
 * design; on the main thread each hash would block the event loop for its whole length, and a login flood
 * would take every core. In the pool at most `concurrency` hashes run at once, each on its own thread, and
 * the rest wait in a bounded queue, so API requests and renders keep the other core.
 */
export class PasswordHasher {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending & { id: number }>();
  private nextId = 1;
  /** Most hashes that ever ran at once (tests read it). */
  peakConcurrency = 0;

  constructor(
    private readonly cost: number,
    private readonly concurrency = 1,
  ) {}

  hash(password: string): Promise<string> {
    return this.run({ op: 'hash', password, cost: this.cost }) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run({ op: 'verify', password, hash }) as Promise<boolean>;
  }

  /** Stops the worker threads (pending work is refused). */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.reject(new Error('password hasher closed'));
    await Promise.all(this.all.splice(0).map((w) => w.terminate()));
    this.idle.length = 0;
  }

  private run(job: Job): Promise<string | boolean> {
    if (this.queue.length >= QUEUE_PER_WORKER * this.concurrency) {
      return Promise.reject(new AppError(503, 'server_busy', 'Too many sign-ins at once; try again in a few seconds', { retry_after_seconds: 2 }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.all.length < this.concurrency ? this.spawn() : undefined);
      if (!worker) return;
      const p = this.queue.shift()!;
      const id = this.nextId++;
      this.running.set(worker, { ...p, id });
      this.peakConcurrency = Math.max(this.peakConcurrency, this.running.size);
      worker.postMessage({ id, ...p.job });
    }
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./bcrypt.worker.mjs', import.meta.url));
    w.unref();
    w.on('message', (m: { id: number; result?: string | boolean; error?: string }) => {
      const p = this.running.get(w);
      this.running.delete(w);
      this.idle.push(w);
      if (p && p.id === m.id) {
        if (m.error !== undefined) p.reject(new Error(`bcrypt: ${m.error}`));
        else p.resolve(m.result!);
      }
      this.pump();
    });
    w.on('error', (err) => {
      const p = this.running.get(w);
      this.running.delete(w);
      this.all.splice(this.all.indexOf(w), 1);
      p?.reject(err);
      this.pump();
    });
    this.all.push(w);
    return w;
  }
}
