import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../test/chromium';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { newKey } from '../storage/storage';
import { renderTestMedia, storeVideo, type Media } from './watch.fixtures';

// A person's browser. Chromium's own headless UA says "HeadlessChrome" and is (rightly) classified as a machine.
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// The player as seen from the test (the server's tsconfig has no DOM lib). Functions, not strings: the page's CSP forbids eval.
type Player = { muted: boolean; ended: boolean; currentTime: number; play(): Promise<void>; pause(): void };
// Muted playback needs no user gesture under Chromium's autoplay policy.
const playMuted = (page: Page) => page.locator('#v').evaluate((v: Player) => ((v.muted = true), v.play()));
const untilEnded = (page: Page) => expect.poll(() => page.locator('#v').evaluate((v: Player) => v.ended), { timeout: 30_000 }).toBe(true);

type Curve = { duration_sec: number; viewers: number; points: { second: number; still_watching_pct: number }[] };
type Row = { plays: number; clicks_machine: number; reached_25: number; reached_100: number; completions: number; cta_clicks: number; clicks_human: number; machine_beacons: number; watch: { average_pct: number } };

describeEachBackend('watch page in Chromium', (backend) => {
  let env: TestEnv;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let media: Media;
  let admin: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    media = await renderTestMedia(4);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch(await chromiumLaunchOptions());
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
  }, 240_000); // ffmpeg, Chromium and a fresh database on a busy 2-core machine
  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((r) => server.close(r));
    await env?.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  const analytics = async (id: string) =>
    (await (await env.request(`/api/v1/videos/${id}/analytics`, { token: admin })).json()) as { totals: Row; shared_link: Row; watch_curve: Curve };
  const curveOf = async (id: string) => {
    await env.container.tracking.flush();
    return (await analytics(id)).watch_curve;
  };

  it('plays the video, sends play/progress/complete/cta and position beacons; analytics show one human play at 100 % and a full watch-through curve', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email, { cta_label: 'Book a call', cta_url: `${base}/healthz` });
    const context = await browser.newContext({ userAgent: DESKTOP_UA });
    const page = await context.newPage();
    const beacons: string[] = [];
    page.on('request', (r) => {
      if (r.url() === `${base}/api/v1/track` && r.method() === 'POST') beacons.push(r.postData() ?? '');
    });
    const res = await page.goto(`${base}/v/${video.slug}`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Quarterly plan');
    await playMuted(page);
    await untilEnded(page);
    const popup = context.waitForEvent('page');
    await page.click('#cta');
    await popup;
    await expect.poll(() => beacons.some((b) => b.includes('"cta"')), { timeout: 10_000 }).toBe(true);

    const parsed = beacons.map((b) => JSON.parse(b) as { e: string; v?: number });
    const sent = parsed.filter((b) => b.e !== 'pos').map((b) => (b.v ? `${b.e}:${b.v}` : b.e));
    expect(sent.sort()).toEqual(['complete', 'cta', 'play', 'progress:100', 'progress:25', 'progress:50', 'progress:75']);
    // Positions: from 0 when playback starts to the last second at the end, only forward, and few (batched: ≤ 1 per 5 s plus pause/end).
    const positions = parsed.filter((b) => b.e === 'pos').map((b) => b.v!);
    expect(positions[0]).toBe(0);
    expect(positions.at(-1)).toBe(4);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    expect(positions.length).toBeLessThanOrEqual(4);

    await env.container.tracking.flush();
    await expect.poll(async () => (await analytics(video.id)).totals.cta_clicks, { timeout: 10_000 }).toBe(1);
    const a = await analytics(video.id);
    expect(a.totals).toMatchObject({ plays: 1, reached_25: 1, reached_100: 1, completions: 1, cta_clicks: 1, clicks_human: 1, machine_beacons: 0 });
    expect(a.totals.watch.average_pct).toBe(100);
    expect(await curveOf(video.id)).toEqual({ duration_sec: 4, viewers: 1, points: [0, 1, 2, 3, 4].map((second) => ({ second, still_watching_pct: 100 })) });
    await context.close();
  });

  it('draws the watch-through curve from real playback: one viewer to the end, one who stops after 2 s', async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email, { cta_label: null, cta_url: null });
    const watch = async (stopAt: number | null) => {
      const context = await browser.newContext({ userAgent: DESKTOP_UA });
      const page = await context.newPage();
      await page.goto(`${base}/v/${video.slug}`);
      await playMuted(page);
      if (stopAt === null) await untilEnded(page);
      else {
        await expect.poll(() => page.locator('#v').evaluate((v: Player) => v.currentTime), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(stopAt);
        await page.locator('#v').evaluate((v: Player) => v.pause());
      }
      // The pause/end beacon is the last one: wait until the server has it.
      await expect.poll(async () => (await curveOf(video.id)).viewers, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      await context.close(); // pagehide: nothing new to send
    };
    await watch(null);
    await watch(2.2);
    await expect.poll(async () => (await curveOf(video.id)).points.map((p) => p.still_watching_pct), { timeout: 10_000 }).toEqual([100, 100, 100, 50, 50]);
    expect((await curveOf(video.id)).viewers).toBe(2);
  });

  it("counts Chromium's own headless user agent as a machine, not a play", async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email, { cta_label: null, cta_url: null });
    const context = await browser.newContext();
    const page = await context.newPage();
    const positions: string[] = [];
    page.on('request', (r) => {
      if (r.url() === `${base}/api/v1/track` && r.postData()?.includes('"pos"')) positions.push(r.postData()!);
    });
    await page.goto(`${base}/v/${video.slug}`);
    await playMuted(page);
    await untilEnded(page);
    await expect.poll(async () => (await analytics(video.id)).totals.machine_beacons, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    expect(positions.length).toBeGreaterThanOrEqual(2);
    const a = await analytics(video.id);
    expect(a.totals.plays).toBe(0);
    await env.container.tracking.flush();
    expect((await analytics(video.id)).totals.clicks_machine).toBe(1);
    expect((await curveOf(video.id)).viewers).toBe(0); // its positions were reported and left out
    await context.close();
  });

  it("shows a branded workspace's accent and logo under the page's CSP (no violation, computed colours)", async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email, { cta_label: 'Book a call', cta_url: 'https://example.com/book' });
    const logoKey = newKey(video.tenantId, 'branding', 'png');
    await env.container.storage.put(logoKey, await sharp({ create: { width: 160, height: 48, channels: 4, background: '#0a7a55' } }).png().toBuffer(), 'image/png');
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ branding: { primary_color: '#FFD400', logo_key: logoKey } }) }).where('id', '=', video.tenantId).execute();
    env.container.watch.invalidate();
    const context = await browser.newContext({ userAgent: DESKTOP_UA });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/v/${video.slug}`);
    type El = { naturalWidth: number };
    await expect.poll(() => page.locator('.brand img').evaluate((img: El) => img.naturalWidth)).toBe(160);
    const cta = await page.locator('#cta').evaluate((el) => {
      const s = (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string; color: string } }).getComputedStyle(el);
      return [s.backgroundColor, s.color];
    });
    expect(cta).toEqual(['rgb(255, 212, 0)', 'rgb(29, 35, 48)']); // accent, with the dark ink WCAG prefers on yellow
    expect(violations).toEqual([]);
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({}) }).where('id', '=', video.tenantId).execute();
    env.container.watch.invalidate();
    await context.close();
  });
});
