import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Reads pg-boss's job table (schema `pgboss`) beside the campaign tables: priority gate and orphan repair. */
export class CampaignJobsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** True while an interactive (add-in) render is waiting or running: campaign renders give it the CPU. */
  async interactiveRenderPending(): Promise<boolean> {
    const r = await sql<{ busy: boolean }>`
      select exists (
        select 1 from pgboss.job
        where name = 'render-video' and (state = 'active' or (state in ('created', 'retry') and start_after <= now()))
      ) as busy`.execute(this.db);
    return Boolean(r.rows[0]?.busy);
  }

  /** Queued recipients of a campaign that have no live render job (the fan-out or a worker died in between). */
  async orphanRenders(tenantId: string, campaignId: string): Promise<{ id: string; video_id: string }[]> {
    const r = await sql<{ id: string; video_id: string }>`
      select r.id, r.video_id from campaign_recipients r
      where r.tenant_id = ${tenantId}::uuid and r.campaign_id = ${campaignId}::uuid and r.state in ('queued', 'rendering') and r.video_id is not null
        and not exists (
          select 1 from pgboss.job j
          where j.name = 'render-campaign' and j.state in ('created', 'retry', 'active') and j.data->>'recipientId' = r.id::text
        )`.execute(this.db);
    return r.rows;
  }

  /**
   * Campaigns that should have a job and have none (across tenants; a maintenance sweep): rendering ones
   * without a fan-out or render job, sending ones without a send job, scheduled ones past send_at.
   */
  async stalled(): Promise<{ id: string; tenant_id: string; status: string }[]> {
    const r = await sql<{ id: string; tenant_id: string; status: string }>`
      select c.id, c.tenant_id, c.status from campaigns c
      where (c.status = 'rendering'
          and not exists (select 1 from pgboss.job j where j.name in ('campaign-fanout', 'render-campaign') and j.state in ('created', 'retry', 'active') and j.data->>'campaignId' = c.id::text))
        or (c.status = 'sending'
          and not exists (select 1 from pgboss.job j where j.name in ('campaign-send', 'campaign-ab-decide', 'campaign-fanout', 'render-campaign') and j.state in ('created', 'retry', 'active') and j.data->>'campaignId' = c.id::text))
        or (c.status = 'scheduled' and c.send_at <= now()
          and not exists (select 1 from pgboss.job j where j.name = 'campaign-send' and j.state in ('created', 'retry', 'active') and j.data->>'campaignId' = c.id::text))`.execute(this.db);
    return r.rows;
  }
}
