import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Container } from '../container';
import type { Database } from '../db/database';
import { JOB_HANDLERS, JOB_SWEEPS } from './handlers';
import { HeartbeatsRepository, type StaleRule } from './heartbeats.repository';
import type { JobContext, JobHandlers } from './job-handler';
import { JOB_NAMES, QUEUE_SLOTS, type JobName } from './queue';
import { persist, recoverDeadJobs } from './recovery';

/** When this process started: on PGlite (a database only this process opens) older heartbeats are dead. */
const PROCESS_STARTED = new Date();
/** Workers alive in this process, per database (their jobs are never swept by a sibling). */
const LIVE_WORKERS = new WeakMap<Database, Set<string>>();

/** A running worker; stop() stops fetching, lets running jobs finish or requeues them. */
export interface Worker extends WorkerIdentity {
  /** Jobs running right now (for tests and shutdown logs). */
  readonly running: number;
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

export interface WorkerOptions {
  handlers?: JobHandlers;
  concurrency?: number;
  pollingIntervalSeconds?: number;
}

/** The worker's id in `job_heartbeats` (for tests and logs). */
export interface WorkerIdentity {
  readonly id: string;
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
 *
 * Crash recovery (every job type): each running job has a heartbeat row refreshed every
 * JOB_HEARTBEAT_SECONDS; every worker fails back to the queue the active jobs whose heartbeat is older than
 * JOB_HEARTBEAT_TIMEOUT_SECONDS (see recovery.ts). On PGlite the process owns its database, so at start it
 * requeues every job a previous (killed) process left active. A worker that finds its own heartbeat taken
 * over aborts the handler and records nothing for that job.
 */
export async function startWorker(container: Container, opts: WorkerOptions = {}): Promise<Worker> {
  const workerId = randomUUID();
  const log = container.logger.child({ module: 'worker', workerId });
  const handlers = opts.handlers ?? JOB_HANDLERS;
  assertHandlers(handlers);
  const boss = container.queue.boss;
  const { retryLimit } = container.queue.policy;
  const { JOB_HEARTBEAT_SECONDS, JOB_HEARTBEAT_TIMEOUT_SECONDS } = container.config;
  const heartbeats = new HeartbeatsRepository(container.db);
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const live = LIVE_WORKERS.get(container.database) ?? new Set<string>();
  LIVE_WORKERS.set(container.database, live.add(workerId));
  const rule = (): StaleRule => ({
    timeoutSec: JOB_HEARTBEAT_TIMEOUT_SECONDS,
    ownsSince: container.database.kind === 'pglite' ? PROCESS_STARTED : null,
    liveWorkers: [...live],
  });
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
    let outcome: { result: 'success' | 'skipped' } | { err: unknown };
    try {
      await persist(() => heartbeats.start(job.id, name, workerId)); // without it the job is not run: a sweep would requeue it
      const handler = handlers[name] as (data: unknown, ctx: JobContext) => Promise<'success' | 'skipped'>;
      outcome = { result: await handler(job.data, ctx) };
    } catch (err) {
      outcome = { err };
    }
    try {
      // Still ours? (A sweep may have declared this worker dead and requeued the job to another one.)
      // The refresh also keeps sweeps off the job while its end is recorded.
      if (!(await persist(() => heartbeats.beat(workerId, [job.id]))).has(job.id)) {
        jobLog.warn('job was taken over by another worker after this one missed its heartbeats; not recording its end');
      } else if ('result' in outcome) {
        await persist(() => boss.complete(name, job.id, { result: outcome.result }));
        jobLog.info({ result: outcome.result, ms: Math.round(performance.now() - started) }, 'job finished');
      } else {
        jobLog.warn({ err: outcome.err, willRetry: job.retryCount < retryLimit }, 'job failed');
        await persist(() => boss.fail(name, job.id, errorOutput(outcome.err)));
      }
      await persist(() => heartbeats.finish(job.id, workerId));
    } catch (err) {
      // The database stayed away: the heartbeat goes stale and a sweep requeues the job; handlers are idempotent.
      jobLog.error({ err }, 'could not record the end of the job');
    } finally {
      clearTimeout(timer);
      running.delete(job.id);
      release();
    }
  }

  const sweep = async () => {
    for (const s of JOB_SWEEPS) await s(container).catch((err: unknown) => log.error({ err }, 'sweep failed'));
  };
  const recover = async () => {
    const requeued = await recoverDeadJobs(heartbeats, boss, rule(), log).catch((err: unknown) => {
      log.error({ err }, 'dead-job sweep failed');
      return [];
    });
    if (requeued.length) await sweep(); // put their rows right now, not at the next maintenance tick
  };
  /** Refreshes this worker's heartbeats; aborts the jobs a sweep took away from it; then sweeps for dead ones. */
  let beating = false;
  const beat = async () => {
    if (beating || stopping) return;
    beating = true;
    try {
      const held = await heartbeats.beat(workerId, [...running.keys()]);
      for (const [id, r] of running) if (!held.has(id)) r.controller.abort(new Error('job taken over by another worker: this one missed its heartbeats'));
    } catch (err) {
      log.warn({ err }, 'heartbeat failed');
    }
    await recover();
    beating = false;
  };

  // Before fetching: on PGlite this requeues the jobs a killed predecessor left active, so they run first.
  await recover();
  // Our own fetch loops, not boss.work(): pg-boss completes a job when its work() callback returns, which
  // would record the end of a job this worker no longer holds (taken over after missed heartbeats).
  const concurrency = opts.concurrency ?? container.config.WORKER_CONCURRENCY;
  const pollMs = (opts.pollingIntervalSeconds ?? 1) * 1000;
  const wakers = new Set<() => void>();
  const fetching = new Set<Promise<unknown>>();
  const loop = async (name: JobName) => {
    while (!stopping) {
      const fetch = boss.fetch<object>(name, { batchSize: 1, includeMetadata: true });
      fetching.add(fetch);
      const jobs = await fetch.catch((err: unknown) => {
        log.warn({ err, job: name }, 'could not fetch jobs; retrying');
        return [];
      });
      fetching.delete(fetch);
      for (const job of jobs ?? []) await dispatch(name, job);
      if (!jobs?.length && !stopping) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            wakers.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, pollMs);
          wakers.add(wake);
        });
      }
    }
  };
  for (const name of JOB_NAMES) for (let i = 0; i < (QUEUE_SLOTS[name]?.(container.config) ?? concurrency); i++) void loop(name);

  await sweep();
  const sweepTimer = setInterval(() => void sweep(), container.queue.policy.maintenanceIntervalSeconds * 1000);
  sweepTimer.unref();
  const beatTimer = setInterval(() => void beat(), JOB_HEARTBEAT_SECONDS * 1000);
  beatTimer.unref();
  log.info({ concurrency, jobs: JOB_NAMES }, 'worker started');

  return {
    id: workerId,
    get running() {
      return running.size;
    },
    async stop({ timeoutMs = container.config.SHUTDOWN_TIMEOUT_SECONDS * 1000 } = {}) {
      if (stopping) return;
      stopping = true;
      clearInterval(sweepTimer);
      clearInterval(beatTimer);
      for (const wake of [...wakers]) wake();
      await Promise.allSettled([...fetching]); // a job fetched just now is in `running` before we wait below
      const all = () => Promise.all([...running.values()].map((r) => r.done));
      const timedOut = await Promise.race([all().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
      if (timedOut && running.size) {
        log.warn({ jobs: [...running.keys()] }, 'shutdown timeout: aborting running jobs; they go back to the queue');
        for (const r of running.values()) r.controller.abort(new Error('worker shutting down'));
        await Promise.race([all(), new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      live.delete(workerId);
      log.info('worker stopped');
    },
  };
}
