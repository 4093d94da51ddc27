import { sql, type Kysely } from 'kysely';

/*
 * Heartbeats of running jobs (crash recovery in seconds instead of the 15-minute job expiry). The
 * dispatcher writes one row per job it runs and refreshes `beat_at` every JOB_HEARTBEAT_SECONDS; a
 * sweep in every worker fails back to the queue the active jobs whose heartbeat stopped. Not tenant
 * data: one row per running job, deleted when the job ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table if not exists job_heartbeats (
      job_id uuid primary key,
      job_name text not null,
      worker_id uuid not null,
      started_at timestamptz not null default now(),
      beat_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index if not exists job_heartbeats_worker_idx on job_heartbeats (worker_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists job_heartbeats`.execute(db);
}
