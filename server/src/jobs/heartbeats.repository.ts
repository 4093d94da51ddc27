import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Which heartbeats count as stopped: older than `timeoutSec`, or (a process that owns its database) older than its start. */
export interface StaleRule {
  timeoutSec: number;
  /** PGlite: the database belongs to this process alone, so a job not refreshed since it opened it is dead. */
  ownsSince: Date | null;
  /** Workers of this process: alive by definition, never swept. */
  liveWorkers: string[];
}

export interface DeadJob {
  id: string;
  name: string;
  worker_id: string | null;
}

/**
 * Heartbeats of running jobs (`job_heartbeats`) next to pg-boss's own job table (schema `pgboss`), which
 * it reads and, for requeued jobs, nudges (`start_after`). Maintenance queries across all tenants.
 */
export class HeartbeatsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Marks `jobId` as run by `workerId` (a retried job keeps its id, so a stale row is taken over). */
  async start(jobId: string, jobName: string, workerId: string): Promise<void> {
    await this.db
      .insertInto('job_heartbeats')
      .values({ job_id: jobId, job_name: jobName, worker_id: workerId })
      .onConflict((oc) => oc.column('job_id').doUpdateSet({ job_name: jobName, worker_id: workerId, started_at: new Date(), beat_at: new Date() }))
      .execute();
  }

  /** Refreshes the heartbeats of `jobIds`; returns those still held by `workerId` (the rest were taken over). */
  async beat(workerId: string, jobIds: string[]): Promise<Set<string>> {
    if (!jobIds.length) return new Set();
    const rows = await sql<{ job_id: string }>`
      update job_heartbeats set beat_at = now()
      where worker_id = ${workerId} and job_id = any(${jobIds}::uuid[])
      returning job_id`.execute(this.db);
    return new Set(rows.rows.map((r) => r.job_id));
  }

  async finish(jobId: string, workerId: string): Promise<void> {
    await this.db.deleteFrom('job_heartbeats').where('job_id', '=', jobId).where('worker_id', '=', workerId).execute();
  }

  /** Active pg-boss jobs of `names` whose heartbeat (or, without one, whose start) is stale under `rule`. */
  async findDead(names: string[], rule: StaleRule): Promise<DeadJob[]> {
    const r = await sql<DeadJob>`
      select j.id::text as id, j.name, h.worker_id::text as worker_id
      from pgboss.job j
      left join job_heartbeats h on h.job_id = j.id
      where j.name = any(${names}::text[]) and j.state = 'active'
        and (h.worker_id is null or not (h.worker_id = any(${rule.liveWorkers}::uuid[])))
        and coalesce(h.beat_at, j.started_on) < ${cutoff(rule)}`.execute(this.db);
    return r.rows;
  }

  /**
   * Takes a dead job's heartbeat away, re-checking staleness in the same statement: false when its worker
   * beat in the meantime (it is alive). A job that never had a heartbeat is claimable as it stands.
   */
  async claim(job: DeadJob, rule: StaleRule): Promise<boolean> {
    if (!job.worker_id) return true;
    const r = await sql`delete from job_heartbeats where job_id = ${job.id}::uuid and beat_at < ${cutoff(rule)}`.execute(this.db);
    return Number(r.numAffectedRows ?? 0n) === 1;
  }

  /** A requeued crash is not the job's fault: let it run again now instead of after the retry backoff. */
  async runNow(job: DeadJob): Promise<void> {
    await sql`update pgboss.job set start_after = now() where name = ${job.name} and id = ${job.id}::uuid and state = 'retry'`.execute(this.db);
  }

  /** Deletes stale heartbeats whose job is no longer active (its end was not recorded, e.g. the database was away). */
  async prune(rule: StaleRule): Promise<void> {
    await sql`
      delete from job_heartbeats h
      where h.beat_at < ${cutoff(rule)}
        and not exists (select 1 from pgboss.job j where j.name = h.job_name and j.id = h.job_id and j.state = 'active')`.execute(this.db);
  }
}

/** The database's own clock decides (app and database hosts may disagree on the time). */
const cutoff = (rule: StaleRule) => sql`greatest(now() - ${rule.timeoutSec} * interval '1 second', ${rule.ownsSince}::timestamptz)`;
