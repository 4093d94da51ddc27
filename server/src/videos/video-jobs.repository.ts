import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/**
 * Reads pg-boss's own job table (schema `pgboss`) next to ours, so a video row can be corrected when its
 * worker died: pg-boss re-queues or fails an expired job without running any of our code.
 */
export class VideoJobsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Rows stuck in `rendering` with no active render job: back to `queued` when pg-boss will retry the job,
   * `failed` when it will not. Campaign videos are rendered by 'render-campaign' jobs (same payload field).
   * Runs across all tenants (a maintenance task, not a request).
   */
  async reconcileOrphans(): Promise<{ id: string; tenant_id: string; status: string }[]> {
    const r = await sql<{ id: string; tenant_id: string; status: string }>`
      update videos v set
        status = case when exists (
            select 1 from pgboss.job j
            where j.name in ('render-video', 'render-campaign') and j.data->>'videoId' = v.id::text and j.state in ('created', 'retry')
          ) then 'queued' else 'failed' end,
        stage = null,
        error = case when exists (
            select 1 from pgboss.job j
            where j.name in ('render-video', 'render-campaign') and j.data->>'videoId' = v.id::text and j.state in ('created', 'retry')
          ) then 'The worker stopped while rendering; the render will be retried'
          else 'The worker stopped while rendering and no retries are left' end,
        error_code = 'render_failed',
        updated_at = now()
      where v.status = 'rendering' and v.deleted_at is null
        and not exists (
          select 1 from pgboss.job j
          where j.name in ('render-video', 'render-campaign') and j.data->>'videoId' = v.id::text and j.state = 'active'
        )
      returning v.id, v.tenant_id, v.status`.execute(this.db);
    return r.rows;
  }
}
