import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { api, createList, until } from './campaigns.fixtures';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describeEachBackend('an A/B test with a test window', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let ip = 10;

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true, env: { TRUST_PROXY: 'true' } });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
  });

  /** A person opens the watch page and plays the video for more than 3 s (a human play). */
  async function watch(watchUrl: string) {
    const headers = { 'user-agent': CHROME, 'x-forwarded-for': `198.51.100.${ip++}` };
    const page = await env.request(new URL(watchUrl).pathname, { headers });
    const t = /data-t="([^"]+)"/.exec(await page.text())![1]!;
    await new Promise((r) => setTimeout(r, 2700)); // the player reports a play after 3 s of playback
    const res = await env.request('/api/v1/track', { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ t, e: 'play' }) });
    expect(res.status).toBe(204);
  }

  it('splits the test group, shows live statistics, decides the winner after the window and sends it to the rest', async () => {
    const user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
    const { listId } = await createList(env, 'AB', Array.from({ length: 8 }, (_, i) => ({ email: `ab${i}@lead.example`, first_name: `Ab${i}` })));
    const created = await user.post('/api/v1/campaigns', {
      name: 'AB', avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hello {{first_name}}',
      variants: [
        { script: 'Hi {{first_name}}, option A.', subject: 'A for {{first_name}}', thumbnail: 'gif' },
        { script: 'Hi {{first_name}}, option B.', subject: 'B for {{first_name}}', thumbnail: 'poster' },
      ],
      ab: { test_fraction: 0.5, window_hours: 0.003, min_sample: 2, confidence: 0.95, send_winner_to_rest: true },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ counts: { pending: 4, held: 4 }, ab: { enabled: true, phase: 'testing', test_fraction: 0.5 } });
    const [a, b] = created.body.variants as { id: string; label: string }[];

    await user.post(`/api/v1/campaigns/${id}/render`);
    await until(() => user.campaign(id), (c) => c.status === 'review', 90_000);
    const test = (await user.get(`/api/v1/campaigns/${id}/recipients?state=rendered`)).body.items as CampaignRecipient[];
    expect(test.map((r) => r.variant_label).sort()).toEqual(['A', 'A', 'B', 'B']);
    for (const r of test) expect(r.transcript).toBe(`Hi ${r.first_name}, option ${r.variant_label}.`);
    await user.post(`/api/v1/campaigns/${id}/approve`, {});
    await user.post(`/api/v1/campaigns/${id}/send`, {});
    // The test group is out; the campaign waits for the window (it stays `sending`).
    const waiting = await until(() => user.campaign(id), (c) => c.ab.phase === 'waiting', 60_000);
    expect(waiting).toMatchObject({ status: 'sending', counts: { sent: 4, held: 4 } });

    // Variant A's email carries the animated GIF, B's the still poster.
    const msgs = await env.container.db.selectFrom('email_messages').select(['to_email', 'subject', 'html']).where('idempotency_key', 'like', `cmp:${id}:%`).execute();
    for (const r of test) {
      const m = msgs.find((x) => x.to_email === r.email)!;
      expect(m.subject).toBe(`${r.variant_label} for ${r.first_name}`);
      expect(m.html).toContain(r.variant_label === 'A' ? `src="${r.watch_url}/thumb.gif"` : `src="${r.watch_url}/poster.jpg"`);
    }

    // Both B recipients play, neither A recipient does: 2/2 against 0/2.
    await Promise.all(test.filter((r) => r.variant_label === 'B').map((r) => watch(r.watch_url!)));
    await env.container.tracking.flush();
    const live = (await user.get(`/api/v1/campaigns/${id}/analytics`)).body as { ab: { status: string; leader_id: string; p_value: number }; variants: { label: string; plays: number; delivered: number }[] };
    // pooled p = 2/4 = 0.5, SE = sqrt(0.5 × 0.5 × (1/2 + 1/2)) = 0.5, z = (1 − 0) / 0.5 = 2, p = 2 × (1 − Φ(2)) = 0.0455
    expect(live.ab).toMatchObject({ status: 'winner', leader_id: b!.id });
    expect(live.ab.p_value).toBeCloseTo(0.0455, 3);
    expect(live.variants.map((v) => [v.label, v.delivered, v.plays])).toEqual([['A', 2, 0], ['B', 2, 2]]);

    // After the window the decision job names B and the rest of the list gets B, rendered, approved and sent.
    const done = await until(() => user.campaign(id), (c) => c.status === 'sent', 120_000, 200);
    expect(done.counts).toMatchObject({ sent: 8, held: 0 });
    expect(done.ab).toMatchObject({ phase: 'decided', decision: { status: 'winner', winner_id: b!.id, sent_to_rest: b!.id } });
    expect(done.ab.decision!.confidence).toBeCloseTo(0.9545, 3);
    const rest = (await user.get(`/api/v1/campaigns/${id}/recipients?variant_id=${b!.id}`)).body.items as CampaignRecipient[];
    expect(rest).toHaveLength(6);
    const all = await env.container.db.selectFrom('email_messages').select(['to_email', 'subject']).where('idempotency_key', 'like', `cmp:${id}:%`).execute();
    expect(all).toHaveLength(8);
    expect(all.filter((m) => m.subject.startsWith('B for')).length).toBe(6);
    expect(a!.label).toBe('A');
  }, 240_000);
});
