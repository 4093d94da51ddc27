import type PgBoss from 'pg-boss';
import type { Container } from '../container';
import { JOB_HANDLERS, JOB_SWEEPS } from './handlers';
import type { JobContext, JobHandlers } from './job-handler';
import { JOB_NAMES, type JobName } from './queue';

/** A running worker; stop() stops fetching, lets running jobs finish or requeues them. */
export interface Worker {
  /** Jobs running right now (for tests and shutdown logs). */
  readonly running: number;
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

export interface WorkerOptions {
  handlers?: JobHandlers;
  concurrency?: number;
  pollingIntervalSeconds?: number;
}

/** Throws unless every job name has exactly one handler and no handler is for an unknown job. */
export function assertHandlers(handlers: Record<string, unknown>): void {
  const missing = JOB_NAMES.filter((n) => typeof handlers[n] !== 'function');
  const unknown = Object.keys(handlers).filter((n) => !(JOB_NAMES as string[]).includes(n));
  if (missing.length || unknown.length) {
    throw new Error(`Job handlers do not match the job names: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
  }
}

const errorOutput = (err: unknown) => ({ message: err instanceof Error ? err.message : String(err) });

/**
 * The job dispatcher: one pg-boss fetch loop per job name and concurrency slot. It completes or fails
 * each job itself (awaited, so shutdown never races the bookkeeping), aborts a handler's signal just
 * before the job would expire and on shutdown, and runs the sweeps that fix rows of dead workers' jobs.
 */
export async function startWorker(container: Container, opts: WorkerOptions = {}): Promise<Worker> {
  const log = container.logger.child({ module: 'worker' });
  const handlers = opts.handlers ?? JOB_HANDLERS;
  assertHandlers(handlers);
  const boss = container.queue.boss;
  const { retryLimit } = container.queue.policy;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let stopping = false;

  async function dispatch(name: JobName, job: PgBoss.JobWithMetadata<object>): Promise<void> {
    const controller = new AbortController();
    const jobLog = log.child({ job: name, jobId: job.id, retryCount: job.retryCount });
    // Stop the handler a second before pg-boss would give up on it, so two attempts never overlap.
    // pg-boss returns expire_in as a numeric string ('3.000000') on some drivers.
    const expireSec = Number(job.expireInSeconds);
    const expiresMs = Math.max(1, expireSec - 1) * 1000;
    const timer = setTimeout(() => controller.abort(new Error(`job expired after ${expireSec} s`)), expiresMs);
    const ctx: JobContext = { container, log: jobLog, signal: controller.signal, jobId: job.id, retryCount: job.retryCount, retryLimit };
    let release!: () => void;
    running.set(job.id, { controller, done: new Promise<void>((r) => (release = r)) });
    const started = performance.now();
    try {
      const handler = handlers[name] as (data: unknown, ctx: JobContext) => Promise<'success' | 'skipped'>;
      const result = await handler(job.data, ctx);
      await boss.complete(name, job.id, { result });
      jobLog.info({ result, ms: Math.round(performance.now() - started) }, 'job finished');
    } catch (err) {
      jobLog.warn({ err, willRetry: job.retryCount < retryLimit }, 'job failed');
      await boss.fail(name, job.id, errorOutput(err)).catch((e: unknown) => jobLog.error({ err: e }, 'could not record job failure'));
    } finally {
      clearTimeout(timer);
      running.delete(job.id);
      release();
    }
  }

  const workIds: string[] = [];
  const concurrency = opts.concurrency ?? container.config.WORKER_CONCURRENCY;
  for (const name of JOB_NAMES) {
    for (let i = 0; i < concurrency; i++) {
      const workOptions = { batchSize: 1, includeMetadata: true as const, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 1 };
      workIds.push(
        await boss.work<object>(name, workOptions, async (jobs) => {
          for (const job of jobs) await dispatch(name, job);
        }),
      );
    }
  }

  const sweep = async () => {
    for (const s of JOB_SWEEPS) await s(container).catch((err: unknown) => log.error({ err }, 'sweep failed'));
  };
  await sweep();
  const sweepTimer = setInterval(() => void sweep(), container.queue.policy.maintenanceIntervalSeconds * 1000);
  sweepTimer.unref();
  log.info({ concurrency, jobs: JOB_NAMES }, 'worker started');

  return {
    get running() {
      return running.size;
    },
    async stop({ timeoutMs = container.config.SHUTDOWN_TIMEOUT_SECONDS * 1000 } = {}) {
      if (stopping) return;
      stopping = true;
      clearInterval(sweepTimer);
      for (const id of workIds) await boss.offWork({ id });
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      const timedOut = await Promise.race([all().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
      if (timedOut && running.size) {
        log.warn({ jobs: [...running.keys()] }, 'shutdown timeout: aborting running jobs; they go back to the queue');
        for (const r of running.values()) r.controller.abort(new Error('worker shutting down'));
        await Promise.race([all(), new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      log.info('worker stopped');
    },
  };
}
