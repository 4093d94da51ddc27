import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Overview } from '@mvs/shared/schemas/overview';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { DEMO_VIDEOS, seedDemoActivity } from '../demo/demo-activity';
import { seedDemo } from '../seed';
import { SseParser } from '@mvs/shared/api/sse-parser';
import { TrackTokens } from './crypto';

// Noon UTC, so "the last 7 days" (today and the 6 before, in UTC days) starts 6.5 days before the seed.
const NOW = new Date('2026-11-27T12:00:00.000Z');

describeEachBackend('dashboard overview and the notifications stream', (backend) => {
  let env: TestEnv;
  let admin: string;
  let user: string;
  let viewer: string;
  let otherAdmin: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    const ids = await seedDemo(env.container);
    expect(await seedDemoActivity(env.container, ids, NOW)).toBe(true);
    expect(await seedDemoActivity(env.container, ids, NOW)).toBe(false); // idempotent
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'viewer@demo.com', role: 'viewer', password: 'Vi3wer1234' }) });
    viewer = await env.login('viewer@demo.com', 'Vi3wer1234');
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(() => env.close());

  // The service reads "today" from the clock; the seeded events are placed relative to NOW.
  const overview = async (token: string, days: 7 | 30 | 90) => {
    const svc = env.container.overview as unknown as { now: () => Date };
    const real = svc.now;
    svc.now = () => NOW;
    try {
      const res = await env.request(`/api/v1/analytics/overview?days=${days}`, { token });
      expect(res.status).toBe(200);
      return (await res.json()) as Overview;
    } finally {
      svc.now = real;
    }
  };

  it('adds up the seeded activity for the workspace (worked by hand from DEMO_VIDEOS)', async () => {
    const o = await overview(admin, 30);
    expect(o).toMatchObject({ days: 30, from: '2026-10-29', to: '2026-11-27' });
    expect(o.daily).toHaveLength(30);
    // 10 viewings; 24 milestones reached → 25 × 24 / 10 = 60 %; CTA by Lan, Emma and Hà; 8 human opens (one per viewing of a
    // recipient who opens with images on), 7 machine opens (5 Apple prefetches, 2 scanners); 10 deliveries.
    expect(o.totals).toMatchObject({ plays: 10, average_watch_pct: 60, cta_clicks: 3, opens_human: 8, opens_machine: 7, delivered: 10, clicks_machine: 2, completions: 2 });
    expect(o.daily.reduce((n, d) => n + d.plays, 0)).toBe(10);
    expect(o.daily.at(-1)).toMatchObject({ day: '2026-11-27', plays: 1, cta_clicks: 1, average_watch_pct: 75 });
    expect(o.top_videos.map((v) => [v.title, v.plays])).toEqual([
      ['Pricing for the fleet tracking pilot', 5],
      ['Welcome aboard', 3],
      ['Căn hộ 2 phòng ngủ ở Thảo Điền', 2],
    ]);
    expect(o.recent_viewers[0]).toMatchObject({ name: 'Lan Nguyen', email: 'lan.nguyen@customer.example', watched_pct: 75, at: new Date(NOW.getTime() - 2 * 60_000 + 4000).toISOString() });
    expect(o.recent_viewers[1]).toMatchObject({ name: 'Phạm Thu Hà', watched_pct: 100, video_title: 'Căn hộ 2 phòng ngủ ở Thảo Điền' });
    expect(o.recent_viewers.find((r) => r.recipient_id === null)).toMatchObject({ name: null, email: null, watched_pct: 25 });
    expect(o.recent_viewers).toHaveLength(10);
  });

  it('narrows to the period: the last 7 UTC days hold 5 of the viewings', async () => {
    const o = await overview(admin, 7);
    expect(o.daily.map((d) => d.day)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    // Lan (today), Hà (1 day), Priya (2 days 5 h), the shared link (4 days), Sofia (5 days).
    expect(o.totals.plays).toBe(5);
    expect((await overview(admin, 90)).totals.plays).toBe(10);
  });

  it('shows a user only their own videos, a viewer the workspace, another workspace nothing', async () => {
    const mine = await overview(user, 30);
    const own = DEMO_VIDEOS.filter((v) => v.owner === 'user').map((v) => v.title);
    expect(mine.top_videos.map((v) => v.title).sort()).toEqual([...own].sort());
    expect(mine.totals.plays).toBe(7);
    expect(mine.recent_viewers.every((r) => own.includes(r.video_title))).toBe(true);
    expect((await overview(viewer, 30)).totals.plays).toBe(10);
    const other = await overview(otherAdmin, 30);
    expect(other.totals).toMatchObject({ plays: 0, opens_machine: 0, delivered: 0 });
    expect(other.top_videos).toEqual([]);
    expect(other.recent_viewers).toEqual([]);
  });

  it('refuses a period other than 7, 30 or 90 days and a missing token', async () => {
    expect((await env.request('/api/v1/analytics/overview?days=12', { token: admin })).status).toBe(422);
    expect((await env.request('/api/v1/analytics/overview')).status).toBe(401);
  });

  it('counts a live human play through the real beacon path, and leaves a deleted video out of the top list', async () => {
    const live = async () => ((await (await env.request('/api/v1/analytics/overview?days=90', { token: admin })).json()) as Overview);
    const before = await live();
    const tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
    const video = DEMO_VIDEOS[2]!;
    const r = await env.container.recipients.ensure(tenantId, video.id, { email: 'new.viewer@x.example', name: 'New Viewer' });
    // A page rendered 10 s ago (a play sooner than 3 s after the render would be classified impossible).
    const t = new TrackTokens(env.config.SECRET_KEY).sign({ tenantId, videoId: video.id, recipientId: r.row.id }, Date.now() - 10_000).token;
    const ctx = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', ip: '203.0.113.9', method: 'POST' };
    for (const b of [{ e: 'play' }, { e: 'progress', v: 25 }, { e: 'progress', v: 50 }] as const) await env.container.tracking.recordBeacon({ t, ...b }, ctx);
    await env.container.tracking.flush();
    const after = await live();
    expect(after.totals.plays).toBe(before.totals.plays + 1);
    expect(after.recent_viewers[0]).toMatchObject({ name: 'New Viewer', watched_pct: 50, video_title: 'Welcome aboard' });

    expect((await env.request(`/api/v1/videos/${video.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    const gone = await live();
    expect(gone.top_videos.map((v) => v.title)).not.toContain('Welcome aboard');
    expect(gone.recent_viewers.map((v) => v.video_title)).not.toContain('Welcome aboard');
    // History stays: the plays happened.
    expect(gone.totals.plays).toBe(after.totals.plays);
  });

  it('streams new notifications as SSE and resumes after Last-Event-ID', async () => {
    const tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
    const abort = new AbortController();
    const res = await env.request('/api/v1/notifications/events', { token: user, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    const next = async (event: string) => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        const hit = parser.push(value).find((e) => e.event === event);
        if (hit) return hit;
      }
    };
    await next('ready');
    // The seeded notices are older than the stream: only the new one arrives.
    const recipient = await env.container.recipients.ensure(tenantId, DEMO_VIDEOS[0]!.id, { email: 'minh.tran@x.example', name: 'Minh Trần' });
    await env.container.notifications.onFirstView({ tenantId, videoId: DEMO_VIDEOS[0]!.id, recipientId: recipient.row.id });
    const ev = await next('notification');
    const n = JSON.parse(ev.data) as { message: string; recipient: { name: string } };
    expect(n.recipient.name).toBe('Minh Trần');
    expect(n.message).toBe('Minh Trần (minh.tran@x.example) watched your video "Pricing for the fleet tracking pilot".');
    expect(ev.id).toMatch(/^\d+_[0-9a-f-]{36}$/);
    abort.abort();
    await reader.cancel().catch(() => undefined);

    // Two more while disconnected: a reconnect with the last id gets exactly those, in order.
    for (const name of ['Hoa Lê', 'Tuấn Vũ']) {
      const r = await env.container.recipients.ensure(tenantId, DEMO_VIDEOS[1]!.id, { email: `${name.length}${name.charCodeAt(0)}@x.example`, name });
      await env.container.notifications.onFirstView({ tenantId, videoId: DEMO_VIDEOS[1]!.id, recipientId: r.row.id });
    }
    const again = new AbortController();
    const res2 = await env.request('/api/v1/notifications/events', { token: user, signal: again.signal, headers: { 'last-event-id': ev.id! } });
    const reader2 = res2.body!.pipeThrough(new TextDecoderStream()).getReader();
    const p2 = new SseParser();
    const got: string[] = [];
    while (got.length < 2) {
      const { value, done } = await reader2.read();
      if (done) break;
      for (const e of p2.push(value)) if (e.event === 'notification') got.push((JSON.parse(e.data) as { recipient: { name: string } }).recipient.name);
    }
    expect(got).toEqual(['Hoa Lê', 'Tuấn Vũ']);
    again.abort();
    await reader2.cancel().catch(() => undefined);

    // Another user's stream never carries these.
    const other = await env.request('/api/v1/notifications/events', { token: admin, headers: { 'last-event-id': ev.id! } });
    const r3 = other.body!.pipeThrough(new TextDecoderStream()).getReader();
    const p3 = new SseParser();
    const first = await r3.read();
    expect(p3.push(first.value ?? '').map((e) => e.event)).toEqual(['ready']);
    await r3.cancel();
  });
});
