import type PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { DeadJob, HeartbeatsRepository, StaleRule } from './heartbeats.repository';
import { JOB_NAMES } from './queue';

/**
 * Crash recovery for every job type (one mechanism, in the dispatcher): active jobs whose heartbeat stopped
 * are failed back to pg-boss — retried at once while retries are left, failed otherwise — so a dead
 * worker's job runs again within seconds instead of after the job expiry. Handlers stay exactly-once by
 * their own guards (e.g. a video row's status + attempt), as they must for the expiry anyway.
 */
export async function recoverDeadJobs(repo: HeartbeatsRepository, boss: PgBoss, rule: StaleRule, log: Logger): Promise<DeadJob[]> {
  const requeued: DeadJob[] = [];
  for (const job of await repo.findDead(JOB_NAMES, rule)) {
    if (!(await repo.claim(job, rule))) continue; // its worker beat meanwhile: alive
    const message = job.worker_id
      ? `Worker ${job.worker_id} stopped sending heartbeats; the job went back to the queue`
      : 'The worker that fetched this job stopped before it started; the job went back to the queue';
    await boss.fail(job.name, job.id, { message });
    await repo.runNow(job);
    log.warn({ job: job.name, jobId: job.id, deadWorker: job.worker_id }, 'requeued the job of a dead worker');
    requeued.push(job);
  }
  await repo.prune(rule);
  return requeued;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Runs a bookkeeping write, retrying for about 15 s while the database is away (a restart, a failover), so a
 * finished job is recorded instead of being run again. Throws the last error after that.
 */
export async function persist<T>(fn: () => Promise<T>, attempts = 7): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i + 1 >= attempts) throw err;
      await sleep(250 * 2 ** i);
    }
  }
}
