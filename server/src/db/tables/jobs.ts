import type { ColumnType, Generated } from 'kysely';

/** One row per job a dispatcher is running; `beat_at` is refreshed while it runs (see jobs/recovery.ts). */
export interface JobHeartbeatsTable {
  job_id: string;
  job_name: string;
  worker_id: string;
  started_at: Generated<Date>;
  beat_at: ColumnType<Date, Date | undefined, Date>;
}

export interface JobsTables {
  job_heartbeats: JobHeartbeatsTable;
}
