import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';
import { TrackTokens } from './crypto';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
type Curve = { duration_sec: number; viewers: number; points: { second: number; still_watching_pct: number }[] };

describeEachBackend('watch-through curve from position beacons', (backend) => {
  let env: TestEnv;
  let admin: string;
  let media: Media;
  let tokens: TrackTokens;
  let ip = 10;

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { TRUST_PROXY: 'true', TRACK_IP_BURST: '5000', TRACK_IP_PER_SECOND: '1000' } });
    media = await renderTestMedia(2);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    tokens = new TrackTokens(env.config.SECRET_KEY);
  });
  afterAll(async () => {
    await env.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  /** A page view that loaded `agoSec` seconds ago (its token says so), from its own address. */
  const view = (v: StoredVideo, agoSec = 60, userAgent = CHROME) => {
    const token = tokens.sign({ tenantId: v.tenantId, videoId: v.id, recipientId: null }, Date.now() - agoSec * 1000).token;
    const headers = { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent, 'x-forwarded-for': `203.0.113.${ip++ % 250}` };
    return (second: number | undefined, e = 'pos') => env.request('/api/v1/track', { method: 'POST', headers, body: JSON.stringify({ t: token, e, ...(second === undefined ? {} : { v: second }) }) });
  };
  const curve = async (id: string, token = admin) => {
    await env.container.tracking.flush();
    const res = await env.request(`/api/v1/videos/${id}/analytics`, { token });
    return { status: res.status, curve: res.status === 200 ? ((await res.json()) as { watch_curve: Curve }).watch_curve : null };
  };
  const pcts = (c: Curve) => c.points.map((p) => p.still_watching_pct);

  it('counts each human view once at its furthest second, whatever order and repeats the reports come in', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    await env.container.db.updateTable('videos').set({ duration_sec: 4.2 }).where('id', '=', video.id).execute();
    expect((await curve(video.id)).curve).toEqual({ duration_sec: 4.2, viewers: 0, points: [0, 1, 2, 3, 4].map((second) => ({ second, still_watching_pct: 0 })) });

    const a = view(video);
    for (const s of [0, 2, 4, 3, 4, 1]) expect((await a(s)).status).toBe(204); // out of order and repeated: furthest is 4
    const b = view(video);
    expect((await b(0)).status).toBe(204);
    expect((await b(1)).status).toBe(204);
    const c = view(video);
    await Promise.all([c(2), c(0), c(1)]);
    const { curve: got } = await curve(video.id);
    expect(got!.viewers).toBe(3);
    expect(pcts(got!)).toEqual([100, 100, 66.7, 33.3, 33.3]);
    // Only the aggregate is stored for positions: no event row per report.
    const rows = await env.container.db.selectFrom('tracking_events').select('id').where('video_id', '=', video.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('leaves machines out: headless browsers, link scanners and positions no one could have reached yet', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    await env.container.db.updateTable('videos').set({ duration_sec: 30 }).where('id', '=', video.id).execute();
    const person = view(video);
    expect((await person(10)).status).toBe(204);
    await view(video, 60, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36')(30);
    await view(video, 60, 'curl/8.5.0')(30);
    await view(video, 4)(25); // 25 s of video four seconds after the page loaded
    const { curve: got } = await curve(video.id);
    expect(got!.viewers).toBe(1);
    expect(got!.points[10]!.still_watching_pct).toBe(100);
    expect(got!.points[11]!.still_watching_pct).toBe(0);
  });

  it('refuses malformed reports with a message, and keeps another workspace out of the curve', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    const send = view(video);
    for (const bad of [undefined, -1, 1.5, 99_999]) {
      const res = await send(bad);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(/v/);
    }
    expect((await send(50, 'progress')).status).toBe(204); // milestones are unchanged
    expect((await send(7, 'progress')).status).toBe(422);
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', domain: 'curve-other.example', email: 'boss@curve-other.example', password: 'Str0ngPass' }) });
    const other = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
    expect((await curve(video.id, other)).status).toBe(404);
  });

  it('stays exact under concurrent reports from many views (one transaction per burst, no lost or double counts)', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    await env.container.db.updateTable('videos').set({ duration_sec: 20 }).where('id', '=', video.id).execute();
    const views = Array.from({ length: 120 }, () => view(video));
    // View i stops at second i % 20; every view reports 0..its end, interleaved with all the others.
    await Promise.all(views.map(async (send, i) => {
      for (let s = 0; s <= i % 20; s += 3) await send(s);
      await send(i % 20);
    }));
    const { curve: got } = await curve(video.id);
    expect(got!.viewers).toBe(120);
    // 6 views stop at each second 0..19: still watching at s = (20 - s) * 6 of 120.
    expect(pcts(got!)).toEqual(Array.from({ length: 21 }, (_, s) => Math.round((1000 * Math.max(0, 20 - s) * 6) / 120) / 10));
  });
});
