import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../test/chromium';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { renderTestMedia, storeVideo, type Media } from './watch.fixtures';

// A person's browser. Chromium's own headless UA says "HeadlessChrome" and is (rightly) classified as a machine.
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// The player as seen from the test (the server's tsconfig has no DOM lib). Functions, not strings: the page's CSP forbids eval.
type Player = { muted: boolean; ended: boolean; play(): Promise<void> };
// Muted playback needs no user gesture under Chromium's autoplay policy.
const playMuted = (page: Page) => page.locator('#v').evaluate((v: Player) => ((v.muted = true), v.play()));
const untilEnded = (page: Page) => expect.poll(() => page.locator('#v').evaluate((v: Player) => v.ended), { timeout: 30_000 }).toBe(true);

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
    (await (await env.request(`/api/v1/videos/${id}/analytics`, { token: admin })).json()) as { totals: Row; shared_link: Row };

  it('plays the video, sends play/progress/complete/cta beacons, and analytics show one human play at 100 %', async () => {
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

    const sent = beacons.map((b) => JSON.parse(b) as { e: string; v?: number }).map((b) => (b.v ? `${b.e}:${b.v}` : b.e));
    expect(sent.sort()).toEqual(['complete', 'cta', 'play', 'progress:100', 'progress:25', 'progress:50', 'progress:75']);

    await env.container.tracking.flush();
    await expect.poll(async () => (await analytics(video.id)).totals.cta_clicks, { timeout: 10_000 }).toBe(1);
    const a = await analytics(video.id);
    expect(a.totals).toMatchObject({ plays: 1, reached_25: 1, reached_100: 1, completions: 1, cta_clicks: 1, clicks_human: 1, machine_beacons: 0 });
    expect(a.totals.watch.average_pct).toBe(100);
    await context.close();
  });

  it("counts Chromium's own headless user agent as a machine, not a play", async () => {
    const video = await storeVideo(env.container, media, DEMO.admin.email, { cta_label: null, cta_url: null });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/v/${video.slug}`);
    await playMuted(page);
    await untilEnded(page);
    await expect.poll(async () => (await analytics(video.id)).totals.machine_beacons, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const a = await analytics(video.id);
    expect(a.totals.plays).toBe(0);
    await env.container.tracking.flush();
    expect((await analytics(video.id)).totals.clicks_machine).toBe(1);
    await context.close();
  });
});
