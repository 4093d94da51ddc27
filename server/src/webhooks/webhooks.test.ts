import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
type Hit = { headers: http.IncomingHttpHeaders; body: string; answered: number };
type Delivery = { id: string; event: string; status: string; attempts: number; last_status: number | null; last_error: string | null };

/** The verification recipe of docs/webhooks.md, written out independently of the server's signer. */
function verifyAsDocumented(secret: string, header: string, rawBody: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describeEachBackend('outgoing webhooks', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let receiver: http.Server;
  let receiverUrl: string;
  const hits: Hit[] = [];
  let failFirst = 1;
  let media: Media;
  let video: StoredVideo;
  let admin: string;
  let user: string;
  let otherAdmin: string;
  let hook: { id: string; secret: string };

  const waitFor = async (pred: () => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out waiting for the receiver');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const ofType = (type: string) => hits.filter((h) => (JSON.parse(h.body) as { type: string }).type === type);
  const deliveries = async () => ((await (await env.request(`/api/v1/webhooks/${hook.id}/deliveries`, { token: admin })).json()) as { items: Delivery[] }).items;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const answered = failFirst-- > 0 ? 500 : 200;
        hits.push({ headers: req.headers, body, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
    env = await createTestEnv(backend, { startQueue: true, env: { WEBHOOK_RETRY_DELAY_SECONDS: '1', TRUST_PROXY: 'true' } });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.5, concurrency: 1 });
    media = await renderTestMedia(1);
    video = await storeVideo(env.container, media, DEMO.user.email, { title: 'Hook test' });
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }) });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(async () => {
    await worker.stop({ timeoutMs: 2000 });
    await env.close();
    await new Promise((r) => receiver.close(r));
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('lets admins register endpoints (secret shown once), hides them from users and other tenants', async () => {
    expect((await env.request('/api/v1/webhooks', { method: 'POST', token: user, ...jsonBody({ url: receiverUrl, events: ['email.sent'] }) })).status).toBe(403);
    const bad = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: receiverUrl, events: ['video.exploded'] }) });
    expect(bad.status).toBe(422);
    const res = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: receiverUrl, events: ['email.sent', 'video.completed', 'video.viewed', 'video.progress', 'cta.clicked'] }) });
    expect(res.status).toBe(201);
    hook = (await res.json()) as { id: string; secret: string };
    expect(hook.secret).toMatch(/^whsec_[\w-]{32}$/);
    const listed = (await (await env.request('/api/v1/webhooks', { token: admin })).json()) as { items: Record<string, unknown>[] };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).not.toHaveProperty('secret');
    expect((await env.request(`/api/v1/webhooks/${hook.id}`, { token: otherAdmin })).status).toBe(404);
    expect((await env.request(`/api/v1/webhooks/${hook.id}/deliveries`, { token: otherAdmin })).status).toBe(404);
    const extra = (await (await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: receiverUrl, events: ['video.failed'] }) })).json()) as { id: string };
    const patched = await env.request(`/api/v1/webhooks/${extra.id}`, { method: 'PATCH', token: admin, ...jsonBody({ active: false }) });
    expect(((await patched.json()) as { active: boolean }).active).toBe(false);
    expect((await env.request(`/api/v1/webhooks/${extra.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await env.request(`/api/v1/webhooks/${extra.id}`, { token: admin })).status).toBe(404);
  });

  it('delivers email.sent signed per the documented recipe, retries a 500 and lists the delivery as delivered after 2 attempts', async () => {
    const sent = await env.request('/api/v1/emails/send', { method: 'POST', token: user, headers: { 'content-type': 'application/json', 'idempotency-key': 'hook-send-1' }, body: JSON.stringify({ video_id: video.id, to: [{ email: 'lan@customer.example' }], subject: 'Hi' }) });
    expect(sent.status).toBe(200);
    await waitFor(() => ofType('email.sent').length >= 2);
    const [failed, ok] = ofType('email.sent');
    expect([failed!.answered, ok!.answered]).toEqual([500, 200]);
    for (const h of [failed!, ok!]) {
      expect(h.headers['content-type']).toBe('application/json');
      expect(verifyAsDocumented(hook.secret, String(h.headers['x-mvs-signature']), h.body)).toBe(true);
      expect(verifyAsDocumented('whsec_wrong', String(h.headers['x-mvs-signature']), h.body)).toBe(false);
      expect(verifyAsDocumented(hook.secret, String(h.headers['x-mvs-signature']), h.body.replace('lan@', 'eve@'))).toBe(false);
    }
    const payload = JSON.parse(ok!.body) as { id: string; type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'email.sent', data: { video_id: video.id, email: 'lan@customer.example', provider: 'outbox' } });
    expect(ok!.headers['x-mvs-delivery']).toBe(payload.id);
    // The job's bookkeeping lands right after the 200.
    let d: Delivery | undefined;
    for (let i = 0; i < 50 && d?.status !== 'delivered'; i++) {
      d = (await deliveries()).find((x) => x.id === payload.id);
      if (d?.status !== 'delivered') await new Promise((r) => setTimeout(r, 100));
    }
    expect(d).toMatchObject({ event: 'email.sent', status: 'delivered', attempts: 2, last_status: 200 });

    // The outbox driver kept the message; another tenant sees none of it.
    const outbox = (await (await env.request('/api/v1/emails/outbox', { token: user })).json()) as { total: number; items: { subject: string; status: string }[] };
    expect(outbox.items[0]).toMatchObject({ subject: 'Hi', status: 'sent' });
    expect(((await (await env.request('/api/v1/emails/outbox', { token: otherAdmin })).json()) as { total: number }).total).toBe(0);
  });

  it('sends video.completed from the videos finish hook, and video.viewed, video.progress and cta.clicked for a human viewer', async () => {
    const row = await env.container.db.selectFrom('videos').selectAll().where('id', '=', video.id).executeTakeFirstOrThrow();
    await env.container.videosService.videoFinished(row);
    const viewer = { 'user-agent': CHROME, 'x-forwarded-for': '203.0.113.7' };
    const page = await (await env.request(`/v/${video.slug}`, { headers: viewer })).text();
    const t = /data-t="([^"]+)"/.exec(page)![1]!;
    await new Promise((r) => setTimeout(r, 2600)); // a person cannot report a 3 s play sooner
    for (const b of [{ e: 'play' }, { e: 'progress', v: 25 }, { e: 'cta' }]) {
      const res = await env.request('/api/v1/track', { method: 'POST', headers: { 'content-type': 'text/plain', ...viewer }, body: JSON.stringify({ t, ...b }) });
      expect(res.status).toBe(204);
    }
    await waitFor(() => ['video.completed', 'video.viewed', 'video.progress', 'cta.clicked'].every((type) => ofType(type).length >= 1));
    const completed = JSON.parse(ofType('video.completed')[0]!.body) as { data: Record<string, unknown> };
    expect(completed.data).toMatchObject({ video_id: video.id, status: 'completed', watch_url: `http://localhost:3000/v/${video.slug}` });
    expect(JSON.parse(ofType('video.viewed')[0]!.body)).toMatchObject({ data: { video_id: video.id, classification: 'human' } });
    expect(JSON.parse(ofType('video.progress')[0]!.body)).toMatchObject({ data: { video_id: video.id, percent: 25 } });
    expect(ofType('video.failed')).toHaveLength(0);
  });

  it('gives up on a delivery older than 24 hours and marks it failed', async () => {
    const [d] = await env.container.db
      .insertInto('webhook_deliveries')
      .values({ tenant_id: video.tenantId, endpoint_id: hook.id, event: 'email.sent', payload: JSON.stringify({ id: 'x' }), status: 'pending', created_at: new Date(Date.now() - 25 * 3600_000) })
      .returning('id')
      .execute();
    expect(await env.container.webhooks.deliver(video.tenantId, d!.id, { retryCount: 5 })).toBe('failed');
    expect((await deliveries()).find((x) => x.id === d!.id)).toMatchObject({ status: 'failed', last_error: 'gave up after 24 hours' });
  });
});
