import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';
import { TrackTokens } from './crypto';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
type Json = Record<string, unknown>;
type Analytics = { totals: Json & { watch: { average_pct: number } }; shared_link: Json; recipients: (Json & { email: string })[]; daily: Json[] };

describeEachBackend('recipients, events and analytics', (backend) => {
  let env: TestEnv;
  let admin: string;
  let otherAdmin: string;
  let media: Media;
  let video: StoredVideo;
  let ip = 10;
  // Each simulated viewer gets its own address (TRUST_PROXY is on in this env), so burst detection sees them apart.
  const viewer = (extra: Record<string, string> = {}) => ({ 'user-agent': CHROME, 'x-forwarded-for': `203.0.113.${ip++}`, ...extra });

  const analytics = async (id = video.id) => (await (await env.request(`/api/v1/videos/${id}/analytics`, { token: admin })).json()) as Analytics;
  const tokenOf = async (res: Response) => /data-t="([^"]+)"/.exec(await res.text())![1]!;
  const beacon = (body: Json, headers: Record<string, string>) =>
    env.request('/api/v1/track', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { TRUST_PROXY: 'true', TRACK_IP_BURST: '40', TRACK_IP_PER_SECOND: '1' } });
    media = await renderTestMedia(4);
    video = await storeVideo(env.container, media, DEMO.admin.email);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }) });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(async () => {
    await env.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('gives a recipient their own 128-bit links once per email, and hides the video from other tenants', async () => {
    const add = () => env.request(`/api/v1/videos/${video.id}/recipients`, { method: 'POST', token: admin, ...jsonBody({ email: 'Lan@Customer.example', name: 'Lan' }) });
    const first = await add();
    expect(first.status).toBe(201);
    const r = (await first.json()) as { slug: string; watch_url: string; poster_url: string; gif_url: string; email: string };
    expect(r.email).toBe('lan@customer.example');
    expect(Buffer.from(r.slug, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(r.watch_url).toBe(`http://localhost:3000/v/${r.slug}`);
    expect(r.gif_url).toBe(`http://localhost:3000/v/${r.slug}/thumb.gif`);
    const again = await add();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { slug: string }).slug).toBe(r.slug);
    const list = (await (await env.request(`/api/v1/videos/${video.id}/recipients`, { token: admin })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    const foreign = await env.request(`/api/v1/videos/${video.id}/recipients`, { method: 'POST', token: otherAdmin, ...jsonBody({ email: 'x@y.example' }) });
    expect(foreign.status).toBe(404);
    expect((await env.request(`/api/v1/videos/${video.id}/analytics`, { token: otherAdmin })).status).toBe(404);
    const bad = await env.request(`/api/v1/videos/${video.id}/recipients`, { method: 'POST', token: admin, ...jsonBody({ email: 'not-an-email' }) });
    expect(bad.status).toBe(422);
  });

  it('serves the watch page with player, poster, transcript, CTA, AI note and absolute OpenGraph tags', async () => {
    const res = await env.request(`/v/${video.slug}`, { headers: viewer() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'sha256-");
    const html = await res.text();
    expect(html).toContain(`<video id="v"`);
    expect(html).toContain(`poster="/v/${video.slug}/poster.jpg?src=page"`);
    expect(html).toContain(`<meta property="og:image" content="http://localhost:3000/v/${video.slug}/poster.jpg?src=page"/>`);
    expect(html).toContain(`<meta property="og:video" content="http://localhost:3000/v/${video.slug}/video.mp4"/>`);
    expect(html).toContain('AI-generated video');
    expect(html).toContain('Hi there, here is a short update on the quarterly plan.');
    expect(html).toMatch(/<a id="cta" class="cta" href="https:\/\/example.com\/book"[^>]*>Book a call<\/a>/);
    expect(html).toContain(`src="/v/${video.slug}/avatar.jpg"`);
    expect(html).toContain('Demo Admin');
    const vi = await (await env.request(`/v/${video.slug}`, { headers: viewer({ 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' }) })).text();
    expect(vi).toContain('Video do AI tạo');
    expect(vi).toContain('<html lang="vi">');
  });

  it('answers unknown, deleted, expired and unfinished videos with friendly pages', async () => {
    const unknown = await env.request('/v/AAAAAAAAAAAAAAAAAAAAAA', { headers: { 'accept-language': 'vi' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Không tìm thấy video');
    expect((await env.request('/v/short')).status).toBe(404);
    const deleted = await storeVideo(env.container, media, DEMO.admin.email, { deleted_at: new Date() });
    const gone = await env.request(`/v/${deleted.slug}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('no longer available');
    expect((await env.request(`/v/${deleted.slug}/poster.jpg`)).status).toBe(410);
    const other = await storeVideo(env.container, media, 'boss@other.example');
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ watch_link_days: 1 }) }).where('id', '=', other.tenantId).execute();
    await env.container.db.updateTable('videos').set({ completed_at: new Date(Date.now() - 2 * 86_400_000) }).where('id', '=', other.id).execute();
    expect((await env.request(`/v/${other.slug}`)).status).toBe(410);
    const rendering = await storeVideo(env.container, media, DEMO.admin.email, { status: 'rendering' });
    const r = await env.request(`/v/${rendering.slug}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('still being made');
  });

  it('serves the video with HTTP Range requests', async () => {
    const full = await env.request(`/v/${video.slug}/video.mp4`);
    expect(full.status).toBe(200);
    const size = Number(full.headers.get('content-length'));
    expect(size).toBe((await fs.stat(media.video)).size);
    const part = await env.request(`/v/${video.slug}/video.mp4`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it('records a thumbnail open and a page click as human, and a scanner hitting every link at once as machine', async () => {
    const r = (await (await env.request(`/api/v1/videos/${video.id}/recipients`, { method: 'POST', token: admin, ...jsonBody({ email: 'burst@customer.example' }) })).json()) as { id: string; slug: string };
    await env.container.recipients.markDelivered(video.tenantId, r.id, new Date(Date.now() - 3600_000));
    await env.container.recipients.markDelivered(video.tenantId, r.id); // a retry does not count twice
    const person = viewer();
    const gif = await env.request(`/v/${r.slug}/thumb.gif`, { headers: person });
    expect(gif.status).toBe(200);
    expect(gif.headers.get('content-type')).toBe('image/gif');
    await env.container.tracking.flush();
    const page = await env.request(`/v/${r.slug}`, { headers: person });
    expect(page.status).toBe(200);
    await env.container.tracking.flush();
    // A scanner: poster, gif and page from one address inside the burst window.
    const scanner = viewer();
    await Promise.all(['/poster.jpg', '/thumb.gif', ''].map((p) => env.request(`/v/${r.slug}${p}`, { headers: scanner })));
    await env.container.tracking.flush();
    const a = await analytics();
    const mine = a.recipients.find((x) => x.email === 'burst@customer.example')!;
    expect(mine).toMatchObject({ delivered: 1, opens_human: 1, clicks_human: 1, opens_machine: 2, clicks_machine: 1, plays: 0 });
    const rows = await env.container.db.selectFrom('tracking_events').select(['ip_hash', 'reason']).where('recipient_id', '=', r.id).execute();
    expect(rows.filter((x) => x.reason === 'link_burst')).toHaveLength(3);
    // No raw address is stored anywhere in the event rows.
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113/);
    expect(rows.every((x) => x.ip_hash && x.ip_hash.length >= 16)).toBe(true);
  });

  it('records a HEAD of the watch page as a machine click and serves no body', async () => {
    const head = await env.request(`/v/${video.slug}`, { method: 'HEAD', headers: viewer() });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    await env.container.tracking.flush();
    const row = await env.container.db.selectFrom('tracking_events').select(['type', 'classification']).where('reason', '=', 'head_request').executeTakeFirst();
    expect(row).toEqual({ type: 'click', classification: 'machine' });
  });

  it('counts player beacons once per page view, for people only, and refuses forged or expired tokens', async () => {
    const person = viewer();
    const token = await tokenOf(await env.request(`/v/${video.slug}`, { headers: person }));
    // A play reported sooner than 3 s of playback after the page render is impossible for a person: wait first.
    await new Promise((r) => setTimeout(r, 2600));
    for (const body of [{ e: 'play' }, { e: 'play' }, { e: 'progress', v: 25 }, { e: 'progress', v: 50 }, { e: 'progress', v: 50 }, { e: 'complete' }, { e: 'cta' }]) {
      expect((await beacon({ t: token, ...body }, person)).status).toBe(204);
    }
    const forged = await beacon({ t: `${token.slice(0, -3)}abc`, e: 'play' }, person);
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('token_invalid');
    const stale = new TrackTokens(env.config.SECRET_KEY, 60).sign({ tenantId: video.tenantId, videoId: video.id, recipientId: null }, Date.now() - 120_000).token;
    const expired = await beacon({ t: stale, e: 'play' }, person);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { code: string }).code).toBe('token_expired');
    expect((await beacon({ t: token, e: 'progress' }, person)).status).toBe(422);
    expect((await beacon({ t: token, e: 'progress', v: 33 }, person)).status).toBe(422);
    const bot = viewer({ 'user-agent': 'python-requests/2.32.3' });
    expect((await beacon({ t: token, e: 'cta' }, bot)).status).toBe(204); // a duplicate of the person's cta: ignored
    const a = await analytics();
    expect(a.shared_link).toMatchObject({ plays: 1, reached_25: 1, reached_50: 1, reached_75: 0, completions: 1, cta_clicks: 1, machine_beacons: 0 });
    expect(a.totals.watch.average_pct).toBe(50);
    const day = new Date().toISOString().slice(0, 10);
    expect(a.daily.find((d) => d.day === day)).toMatchObject({ plays: 1, cta_clicks: 1 });
  });

  it('rate-limits beacons per address with 429 rate_limited', async () => {
    const person = viewer();
    const token = await tokenOf(await env.request(`/v/${video.slug}`, { headers: person }));
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await beacon({ t: token, e: 'cta' }, person)).status);
    expect(statuses.slice(0, 30).every((s) => s === 204)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('serves thumbnails without recording opens when the tenant turns opens off', async () => {
    const before = (await analytics()).totals;
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ tracking_opens: false }) }).where('id', '=', video.tenantId).execute();
    env.container.watch.invalidate();
    const res = await env.request(`/v/${video.slug}/poster.jpg`, { headers: viewer() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    await env.container.tracking.flush();
    const after = (await analytics()).totals;
    expect([after.opens_human, after.opens_machine, after.opens_unknown]).toEqual([before.opens_human, before.opens_machine, before.opens_unknown]);
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({}) }).where('id', '=', video.tenantId).execute();
    env.container.watch.invalidate();
  });

  it('notifies the sender once on a recipient first watch, naming them, and exports CSV', async () => {
    const r = (await (await env.request(`/api/v1/videos/${video.id}/recipients`, { method: 'POST', token: admin, ...jsonBody({ email: 'minh@customer.example', name: 'Minh' }) })).json()) as { id: string; slug: string };
    const opt = await env.request('/api/v1/notifications/settings', { method: 'PUT', token: admin, ...jsonBody({ email_on_first_view: true }) });
    expect(await opt.json()).toEqual({ email_on_first_view: true });
    for (let i = 0; i < 2; i++) {
      const person = viewer();
      const token = await tokenOf(await env.request(`/v/${r.slug}`, { headers: person }));
      await new Promise((res) => setTimeout(res, 2600));
      expect((await beacon({ t: token, e: 'play' }, person)).status).toBe(204);
    }
    await new Promise((res) => setTimeout(res, 300)); // listeners run after the commit
    const list = (await (await env.request('/api/v1/notifications', { token: admin })).json()) as {
      items: { id: string; message: string; email_status: string; recipient: { email: string } | null }[];
      unread: number;
    };
    const named = list.items.filter((n) => n.recipient?.email === 'minh@customer.example');
    expect(named).toHaveLength(1);
    expect(named[0]!.message).toBe('Minh (minh@customer.example) watched your video "Quarterly plan".');
    // Opted in to email, but no Mailer is wired yet: the email is recorded as pending, not claimed as sent.
    expect(named[0]!.email_status).toBe('pending');
    expect(list.items.some((n) => n.recipient === null && n.message.startsWith('Someone watched'))).toBe(true);
    const read = await env.request(`/api/v1/notifications/${named[0]!.id}/read`, { method: 'POST', token: admin });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { read_at: string | null }).read_at).not.toBeNull();
    const user = await env.login(DEMO.user.email, DEMO.user.password);
    expect((await env.request(`/api/v1/notifications/${named[0]!.id}/read`, { method: 'POST', token: user })).status).toBe(404);

    const csv = await env.request(`/api/v1/videos/${video.id}/analytics.csv`, { token: admin });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^recipient_email,recipient_name,delivered_at,delivered,opens_human/);
    expect(lines.find((l) => l.startsWith('minh@customer.example,Minh,'))).toBeDefined();
    expect(lines.at(-1)).toMatch(/^\(total\),/);
  });
});
