import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { api, createList, until } from './campaigns.fixtures';

const SCRIPT = 'Hi {{first_name}}, thanks for stopping by our booth.';
const LONG =
  'Hi Lan, thanks for stopping by our booth yesterday. Here is the short walk-through of the reporting dashboard I promised, ' +
  'with the two export options your team asked about. The first one sends a weekly summary to everyone on the account, and the ' +
  'second one lets each manager pick their own schedule and filters. Both keep the history for a year, so you can compare quarters. ' +
  'If you want, we can set it up together next week; just tell me which afternoon suits you, and I will send an invite right away.';

// One backend: this is about the job queues, which are the same code on both.
describe('an add-in render created while a campaign renders', () => {
  let env: TestEnv;
  let worker: Worker;

  beforeAll(async () => {
    env = await createTestEnv('pglite', { startQueue: true });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
  });

  it('finishes first: no campaign render starts while it waits or runs, and it never queues behind the campaign', async () => {
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const user = api(env, token);
    const { listId } = await createList(env, 'Priority', Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@lead.example`, first_name: `Person${i}` })));
    const c = (await user.post('/api/v1/campaigns', { name: 'Bulk', avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static', script: SCRIPT, subject: 'Hi' })).body;
    await user.post(`/api/v1/campaigns/${c.id}/render`);
    const videos = () => env.container.db.selectFrom('videos').select(['id', 'status', 'started_at', 'completed_at', 'campaign_id']).execute();
    // Wait until the campaign is busy: its first render has started.
    await until(videos, (vs) => vs.some((v) => v.campaign_id && v.started_at), 60_000, 20);

    const created = new Date();
    // Several times longer than a campaign render, so a campaign slot that did not defer would start more of them meanwhile.
    const res = await env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: LONG, renderer: 'static' }) });
    expect(res.status).toBe(202);
    const addinId = ((await res.json()) as { id: string }).id;
    const done = await until(videos, (vs) => vs.find((v) => v.id === addinId)?.status === 'completed', 60_000, 20);
    const addin = done.find((v) => v.id === addinId)!;
    const campaign = done.filter((v) => v.campaign_id === c.id);

    // The add-in render started at once (its own queue slot), not after the campaign's remaining renders.
    expect(addin.started_at!.getTime() - created.getTime()).toBeLessThan(3000);
    // While it waited or ran, no campaign render started.
    const startedMeanwhile = campaign.filter((v) => v.started_at && v.started_at > created && v.started_at < addin.completed_at!);
    expect(startedMeanwhile).toEqual([]);
    const finishedMeanwhile = campaign.filter((v) => v.completed_at && v.completed_at > created && v.completed_at < addin.completed_at!);
    // At most the renders already running when it was created (one per campaign slot) finish before it.
    expect(finishedMeanwhile.length).toBeLessThanOrEqual(env.container.config.CAMPAIGN_RENDER_CONCURRENCY);
    // And the campaign really had work left: renders that finished after the add-in's.
    const remaining = campaign.filter((v) => v.status !== 'completed' || v.completed_at! > addin.completed_at!);
    expect(remaining.length).toBeGreaterThanOrEqual(4);

    // The campaign then carries on to the end.
    const reviewed = await until(() => user.campaign(c.id as string), (x) => x.status === 'review', 120_000);
    expect(reviewed.counts.rendered).toBe(6);
  }, 240_000);
});
