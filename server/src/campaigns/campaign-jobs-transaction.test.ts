import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startWorker } from '../jobs/worker';
import { renderTestMedia, type Media } from '../watch/watch.fixtures';
import { reconcileCampaigns } from './campaigns.jobs';
import { api, approveWithStoredVideos, createList, until } from './campaigns.fixtures';

/**
 * A campaign's rows and the jobs that carry them on commit together (JobQueue.transaction). The failure is a real
 * one inside the database: a trigger makes the job insert fail as a server shutting down does (SQLSTATE 57P01),
 * after the row writes went through on the same connection. Without the transaction each case leaves a campaign
 * or a recipient waiting for a job that was never queued.
 */
describeEachBackend('campaign rows and their jobs in one transaction', (backend) => {
  let env: TestEnv;
  let media: Media;
  let user: ReturnType<typeof api>;
  let tenantId: string;
  let listId: string;

  const db = () => env.container.db;
  const failJobs = (name: string) =>
    sql.raw(`create trigger mvs_test_outage before insert on pgboss.job for each row when (new.name = '${name}') execute function mvs_test_outage()`).execute(db());
  const restore = () => sql`drop trigger if exists mvs_test_outage on pgboss.job`.execute(db());
  const jobs = async (name: string, field: string, value: string) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${name} and data->>${field} = ${value}`.execute(db())).rows[0]!.n);
  const status = async (id: string) => (await user.campaign(id)).status;
  const recipientRows = (id: string) => db().selectFrom('campaign_recipients').select(['id', 'state', 'video_id']).where('campaign_id', '=', id).orderBy('position').execute();
  const expectUnavailable = async (r: { status: number; body: { code?: string } }) => expect([r.status, r.body.code]).toEqual([503, 'database_unavailable']);
  const draft = async (name: string) => (await user.post('/api/v1/campaigns', { name, avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hi {{first_name}}' })).body.id as string;

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true, env: { JOB_RETRY_DELAY_SECONDS: '1' } }); // no worker until the last test: jobs stay where we count them
    media = await renderTestMedia(2);
    user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
    ({ listId, tenantId } = await createList(env, 'Outage', [
      { email: 'a@lead.example', first_name: 'Ann' }, { email: 'b@lead.example', first_name: 'Bao' }, { email: 'c@lead.example', first_name: 'Chi' },
    ]));
    await sql`create function mvs_test_outage() returns trigger language plpgsql as $$
      begin raise exception 'terminating connection due to administrator command' using errcode = '57P01'; end $$`.execute(db());
  }, 60_000);
  afterEach(restore);
  afterAll(async () => {
    await env?.close();
    if (media) await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('render: the campaign stays a draft when its fan-out job cannot be queued', async () => {
    const id = await draft('Render');
    await failJobs('campaign-fanout');
    await expectUnavailable(await user.post(`/api/v1/campaigns/${id}/render`));
    expect([await status(id), await jobs('campaign-fanout', 'campaignId', id)]).toEqual(['draft', 0]);
    await restore();
    expect((await user.post(`/api/v1/campaigns/${id}/render`)).status).toBe(202);
    expect([await status(id), await jobs('campaign-fanout', 'campaignId', id)]).toEqual(['rendering', 1]);
  });

  it('fan-out: recipients stay pending, with no video rows, when their render jobs cannot be queued; the retry queues each once', async () => {
    const id = await draft('Fan-out');
    await env.container.campaignsRepo.transition(tenantId, id, ['draft'], { status: 'rendering' });
    await failJobs('render-campaign');
    await expect(env.container.campaignRendering.fanout(tenantId, id, new AbortController().signal)).rejects.toThrow();
    expect((await recipientRows(id)).map((r) => [r.state, r.video_id])).toEqual([['pending', null], ['pending', null], ['pending', null]]);
    expect(await db().selectFrom('videos').select('id').where('campaign_id', '=', id).execute()).toEqual([]);
    await restore();
    expect(await env.container.campaignRendering.fanout(tenantId, id, new AbortController().signal)).toBe('success');
    const rows = await recipientRows(id);
    expect(rows.map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
    for (const r of rows) expect(await jobs('render-campaign', 'recipientId', r.id)).toBe(1);
  });

  it('send and schedule: the campaign stays in review when its send job cannot be queued', async () => {
    const id = await draft('Send');
    await approveWithStoredVideos(env, tenantId, id, media);
    await failJobs('campaign-send');
    await expectUnavailable(await user.post(`/api/v1/campaigns/${id}/send`, {}));
    await expectUnavailable(await user.post(`/api/v1/campaigns/${id}/send`, { send_at: new Date(Date.now() + 3600_000).toISOString() }));
    expect([await status(id), await jobs('campaign-send', 'campaignId', id)]).toEqual(['review', 0]);
    expect((await recipientRows(id)).every((r) => r.state === 'approved')).toBe(true);
    await restore();
    expect((await user.post(`/api/v1/campaigns/${id}/send`, { send_at: new Date(Date.now() + 3600_000).toISOString() })).body.status).toBe('scheduled');
    expect(await jobs('campaign-send', 'campaignId', id)).toBe(1);

    // resume: a paused campaign stays paused when the job that carries it on cannot be queued.
    expect((await user.post(`/api/v1/campaigns/${id}/pause`)).body.status).toBe('paused');
    await failJobs('campaign-send');
    await expectUnavailable(await user.post(`/api/v1/campaigns/${id}/resume`));
    expect([await status(id), await jobs('campaign-send', 'campaignId', id)]).toEqual(['paused', 1]);
    await restore();
    expect((await user.post(`/api/v1/campaigns/${id}/resume`)).body.status).toBe('scheduled');
    expect(await jobs('campaign-send', 'campaignId', id)).toBe(2);
  });

  it('re-render: the recipient keeps its finished video and files when the render job cannot be queued', async () => {
    const id = await draft('Rerender');
    await approveWithStoredVideos(env, tenantId, id, media);
    const [r] = (await user.get(`/api/v1/campaigns/${id}/recipients?page_size=1`)).body.items as CampaignRecipient[];
    const before = await db().selectFrom('videos').select(['status', 'video_key', 'script']).where('id', '=', r!.video_id!).executeTakeFirstOrThrow();
    const renderJobs = await jobs('render-campaign', 'recipientId', r!.id);
    await failJobs('render-campaign');
    await expectUnavailable(await user.post(`/api/v1/campaigns/${id}/recipients/${r!.id}/rerender`, { script: 'Hello again {{first_name}}.' }));
    expect(await db().selectFrom('videos').select(['status', 'video_key', 'script']).where('id', '=', r!.video_id!).executeTakeFirstOrThrow()).toEqual(before);
    expect(await env.container.storage.stat(before.video_key!)).not.toBeNull();
    expect((await user.get(`/api/v1/campaigns/${id}/recipients/${r!.id}`)).body).toMatchObject({ state: 'approved', video_status: 'completed' });
    expect(await jobs('render-campaign', 'recipientId', r!.id)).toBe(renderJobs);
    await restore();
    expect((await user.post(`/api/v1/campaigns/${id}/recipients/${r!.id}/rerender`, { script: 'Hello again {{first_name}}.' })).body).toMatchObject({ state: 'queued', transcript: `Hello again ${r!.first_name}.` });
    expect(await jobs('render-campaign', 'recipientId', r!.id)).toBe(renderJobs + 1);
  });

  it('the sweep recovers a recipient whose render job was lost (failed for good after a dying worker): the campaign still reaches review', async () => {
    const id = await draft('Lost job');
    expect((await user.post(`/api/v1/campaigns/${id}/render`)).status).toBe(202);
    await env.container.campaignRendering.fanout(tenantId, id, new AbortController().signal);
    await sql`update pgboss.job set state = 'completed' where name = 'campaign-fanout' and data->>'campaignId' = ${id}`.execute(db());
    const rows = await recipientRows(id);
    // Every render job of the campaign is gone as pg-boss leaves a job whose retries a killed worker used up.
    await sql`update pgboss.job set state = 'failed' where name = 'render-campaign' and data->>'campaignId' = ${id}`.execute(db());
    expect((await recipientRows(id)).map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
    await reconcileCampaigns(env.container);
    expect(await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'campaign-fanout' and state = 'created' and data->>'campaignId' = ${id}`.execute(db()).then((r) => r.rows[0]!.n)).toBe(1);
    const worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
    try {
      const done = await until(() => user.campaign(id), (c) => c.status === 'review' || c.status === 'failed', 90_000);
      expect(done).toMatchObject({ status: 'review', counts: { rendered: 3 } });
      for (const r of rows) expect(await jobs('render-campaign', 'recipientId', r.id)).toBe(2); // the lost one and the sweep's
    } finally {
      await worker.stop({ timeoutMs: 1000 });
    }
  }, 120_000);
});
