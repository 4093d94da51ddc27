import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { overlayLayout } from '../render/thumbnails';
import { newKey } from '../storage/storage';
import { WatchRepository } from './watch.repository';
import { WatchService } from './watch.service';
import { renderTestMedia, storeVideo, type Media } from './watch.fixtures';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const styles = (html: string) => [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);

/** A WatchRepository that counts its queries (the real one, on the test database). */
class CountingRepository extends WatchRepository {
  reads = 0;
  override recipientBySlug(slug: string) {
    this.reads++;
    return super.recipientBySlug(slug);
  }
}

describeEachBackend('watch page: caching, revalidation and branding', (backend) => {
  let env: TestEnv;
  let media: Media;
  let worker: Worker;
  let ip = 10;
  const viewer = (extra: Record<string, string> = {}) => ({ 'user-agent': CHROME, 'x-forwarded-for': `198.51.100.${ip++}`, ...extra });
  const tenantOf = async (email: string) => (await env.container.db.selectFrom('users').select('tenant_id').where('email', '=', email).executeTakeFirstOrThrow()).tenant_id;
  const setBranding = async (tenantId: string, branding: unknown) => {
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ branding }) }).where('id', '=', tenantId).execute();
    env.container.watch.invalidate();
    env.container.branding.invalidate();
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { TRUST_PROXY: 'true' }, startQueue: true });
    media = await renderTestMedia(2);
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('serves the poster from memory with an ETag: a repeat view gets 304 and still counts as an open; the page poster may be cached', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    const person = viewer();
    const first = await env.request(`/v/${video.slug}/poster.jpg`, { headers: person });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{12}"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect(Buffer.from(await first.arrayBuffer()).equals(await fs.readFile(media.poster))).toBe(true);
    const again = await env.request(`/v/${video.slug}/poster.jpg`, { headers: { ...person, 'if-none-match': `W/"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const changed = await env.request(`/v/${video.slug}/poster.jpg`, { headers: { ...person, 'if-none-match': '"not-it"' } });
    expect(changed.status).toBe(200);
    const page = await env.request(`/v/${video.slug}/poster.jpg?src=page`, { headers: person });
    expect(page.headers.get('cache-control')).toBe('public, max-age=300');
    const gif = await env.request(`/v/${video.slug}/thumb.gif`, { headers: { ...person, 'if-none-match': etag } });
    expect(gif.status).toBe(200); // another object, another validator
    await env.container.tracking.flush();
    const opens = await env.container.db.selectFrom('tracking_events').select(['type']).where('video_id', '=', video.id).where('type', '=', 'open').execute();
    expect(opens).toHaveLength(4); // three poster fetches (200, 304, 200) and the GIF; the page's own poster is not an open
  });

  it('answers from memory between reloads, shares one load among concurrent misses, and stops serving a deleted or expired video within the bound', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    const repo = new CountingRepository(env.container.db);
    const ttl = 300;
    const stale = 300;
    const ws = new WatchService(repo, ttl, 100, stale);
    const all = await Promise.all(Array.from({ length: 20 }, () => ws.resolve(video.slug)));
    expect(all.every((e) => e.target.kind === 'ready')).toBe(true);
    expect(repo.reads).toBe(1);
    for (let i = 0; i < 50; i++) await ws.resolve(video.slug);
    expect(repo.reads).toBe(1); // no database round trip per view while fresh

    // Another process deletes the video: this one notices within ttl + one reload.
    const changedAt = Date.now();
    await env.container.db.updateTable('videos').set({ deleted_at: new Date() }).where('id', '=', video.id).execute();
    let kind = 'ready';
    while (kind === 'ready' && Date.now() - changedAt < 5000) {
      kind = (await ws.resolve(video.slug)).target.kind;
      if (kind === 'ready') await new Promise((r) => setTimeout(r, 10));
    }
    expect(kind).toBe('gone');
    expect(Date.now() - changedAt).toBeLessThan(ttl + stale);

    // Expiry by the workspace's watch_link_days is bounded the same way.
    const other = await storeVideo(env.container, media, DEMO.admin.email);
    await ws.resolve(other.slug);
    const tenant = await tenantOf(DEMO.admin.email);
    await env.container.db.updateTable('videos').set({ completed_at: new Date(Date.now() - 3 * 86_400_000) }).where('id', '=', other.id).execute();
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ watch_link_days: 2 }) }).where('id', '=', tenant).execute();
    const t0 = Date.now();
    await expect.poll(async () => (await ws.resolve(other.slug)).target.kind, { timeout: 5000, interval: 10 }).toBe('gone');
    expect(Date.now() - t0).toBeLessThan(ttl + stale);
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({}) }).where('id', '=', tenant).execute();
  });

  it('stops serving a video deleted through the API at once (same process): page and poster answer 410', async () => {
    const token = await env.login(DEMO.admin.email, DEMO.admin.password);
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    expect((await env.request(`/v/${video.slug}`, { headers: viewer() })).status).toBe(200);
    expect((await env.request(`/v/${video.slug}/poster.jpg`, { headers: viewer() })).status).toBe(200);
    expect((await env.request(`/api/v1/videos/${video.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await env.request(`/v/${video.slug}`, { headers: viewer() })).status).toBe(410);
    expect((await env.request(`/v/${video.slug}/poster.jpg`, { headers: viewer() })).status).toBe(410);
  });

  it("brands the watch page: logo in the header, accent CTA with contrast-checked text, and a CSP that allows exactly its styles", async () => {
    const tenant = await tenantOf(DEMO.admin.email);
    const video = await storeVideo(env.container, media, DEMO.admin.email);
    const plain = await env.request(`/v/${video.slug}`, { headers: viewer() });
    const plainHtml = await plain.text();
    expect(styles(plainHtml)).toHaveLength(1);
    expect(plainHtml).not.toContain('class="brand"');

    const logoKey = newKey(tenant, 'branding', 'png');
    const logo = await sharp({ create: { width: 120, height: 40, channels: 4, background: '#0a7a55' } }).png().toBuffer();
    await env.container.storage.put(logoKey, logo, 'image/png');
    await setBranding(tenant, { primary_color: '#ffd400', logo_key: logoKey });
    const res = await env.request(`/v/${video.slug}`, { headers: viewer() });
    const html = await res.text();
    const css = styles(html);
    expect(css).toHaveLength(2);
    // Yellow is light: dark ink reads better on it than white (WCAG contrast), and the hover shade is checked too.
    expect(css[1]).toContain('.cta{background:#ffd400;color:#1d2330}');
    const csp = res.headers.get('content-security-policy')!;
    for (const s of css) expect(csp).toContain(sha(s));
    expect(csp).not.toContain('unsafe-inline');
    const src = /<div class="brand"><img src="([^"]+)" alt="Demo Tenant"\/><\/div>/.exec(html)?.[1];
    expect(src).toMatch(new RegExp(`^/v/${video.slug}/logo\\?v=[\\w-]{12}$`));
    const img = await env.request(src!, { headers: viewer() });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(logo)).toBe(true);
    expect((await env.request(src!, { headers: viewer({ 'if-none-match': img.headers.get('etag')! }) })).status).toBe(304);

    // Dark blue: white text.
    await setBranding(tenant, { primary_color: '#0F2D6B', logo_key: null });
    const dark = await (await env.request(`/v/${video.slug}`, { headers: viewer() })).text();
    expect(styles(dark)[1]).toContain('.cta{background:#0f2d6b;color:#ffffff}');
    expect(dark).not.toContain('class="brand"');
    expect((await env.request(`/v/${video.slug}/logo`, { headers: viewer() })).status).toBe(404);
    // Garbage in the settings row is ignored, not rendered.
    await setBranding(tenant, { primary_color: 'red;}</style><script>alert(1)</script>', logo_key: 42 });
    expect(styles(await (await env.request(`/v/${video.slug}`, { headers: viewer() })).text())).toHaveLength(1);
    await setBranding(tenant, null);
  });

  it("renders a branded workspace's poster and GIF with its accent on the play button", async () => {
    const tenant = await tenantOf(DEMO.user.email);
    await setBranding(tenant, { primary_color: '#E4002B', logo_key: null });
    worker = await startWorker(env.container, { concurrency: 1, pollingIntervalSeconds: 0.5 });
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const created = await env.request('/api/v1/videos/', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, script: 'Hi Lan, a short hello.', renderer: 'static' }) });
    expect(created.status).toBe(202);
    const id = ((await created.json()) as { id: string }).id;
    await expect
      .poll(async () => ((await (await env.request(`/api/v1/videos/${id}`, { token })).json()) as { status: string }).status, { timeout: 90_000, interval: 300 })
      .toBe('completed');
    for (const file of ['poster', 'gif'] as const) {
      const bytes = Buffer.from(await (await env.request(`/api/v1/videos/${id}/${file}`, { token })).arrayBuffer());
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const L = overlayLayout(info.width, info.height);
      const at = (x: number, y: number) => [...data.subarray((Math.round(y) * info.width + Math.round(x)) * 3, (Math.round(y) * info.width + Math.round(x)) * 3 + 3)];
      const px = at(L.play.cx - L.play.r * 0.6, L.play.cy);
      expect(Math.abs(px[0]! - 0xe4) + Math.abs(px[1]! - 0x00) + Math.abs(px[2]! - 0x2b), `${file} ${px}`).toBeLessThan(90);
    }
    await setBranding(tenant, null);
  });
});
