import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config';
import { createLogger } from '../../../server/src/logger';
import { start, type Running } from '../../../server/src/main';
import { chromiumLaunchOptions } from '../../../server/test/chromium';
import { loadEmail, outlookReplyHtml, asHtml } from '../email-fixtures';
import { ROOT, ensureAddinBuilt } from './build-addin';
import { officeMockSource, type BrowserMailItem } from './office-mock.browser';

const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const PUBLIC_URL = 'https://mail-video.test';
const SHOTS = path.join(ROOT, 'test-artifacts', 'addin');

let running: Running;
let base: string;
let browser: Browser;
let dataDir: string;
let buildReport: Awaited<ReturnType<typeof ensureAddinBuilt>>;

beforeAll(async () => {
  buildReport = await ensureAddinBuilt();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-addin-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // URLs are generated for an https public host (as in production); the browser reaches it through a route.
    PUBLIC_URL,
    SEED_DEMO: 'true',
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  running = await start({ api: true, worker: true }, config, createLogger(config.LOG_LEVEL));
  base = running.url!.replace('localhost', '127.0.0.1');
  browser = await chromium.launch(await chromiumLaunchOptions());
  await fs.mkdir(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

/** A task-pane-sized page whose Office.js is the mock holding `item`; the public host is routed to the test server. */
async function openPane(item: BrowserMailItem): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 420, height: 1000 }, deviceScaleFactor: 1 });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort()); // nothing leaves the machine
  await context.route(OFFICE_JS, (route) => route.fulfill({ contentType: 'application/javascript', body: officeMockSource(item) }));
  await context.route(`${PUBLIC_URL}/**`, async (route) => {
    const u = new URL(route.request().url());
    await route.fulfill({ response: await route.fetch({ url: `${base}${u.pathname}${u.search}` }) });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}/addin/taskpane.html`);
  return { context, page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(page: Page, label: { email: string; password: string; submit: string }) {
  await page.getByLabel(label.email).fill('user@demo.com');
  await page.getByLabel(label.password).fill('user123');
  await page.getByRole('button', { name: label.submit, exact: true }).click();
}

describe('task pane in Chromium against the real server (mocked Office.js)', () => {
  it('keeps the first-load task pane JavaScript within 350 KB gzipped', () => {
    expect(buildReport.gzipBytes).toBeGreaterThan(20_000);
    expect(buildReport.gzipBytes).toBeLessThanOrEqual(350 * 1024);
  });

  it('compose: sign in → summarize → draft → create video → 100 % → insert a linked https thumbnail and a text link', async () => {
    const email = await loadEmail('sales-followup-en');
    const { context, page, errors } = await openPane({
      mode: 'compose',
      subject: `RE: ${email.subject}`,
      from: email.to[0]!,
      to: [email.from],
      body: outlookReplyHtml(email),
      bodyType: 'html',
      displayLanguage: 'en-US',
      user: { displayName: 'Alex Carter', emailAddress: 'alex@acme.example' },
    });
    try {
      await expect.poll(() => page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
      await shot(page, '01-sign-in');
      // The server has no Entra app configured, so there is no Microsoft sign-in button.
      expect(await page.getByRole('button', { name: 'Sign in with Microsoft' }).count()).toBe(0);
      await signIn(page, { email: 'Email', password: 'Password', submit: 'Sign in' });

      const emailCard = page.getByRole('region', { name: 'This email' });
      await emailCard.getByText('RE: Re: Pricing for the fleet tracking pilot').waitFor();
      await expect.poll(() => emailCard.textContent()).toContain('A price for 40 vehicles');
      await shot(page, '02-email-read');

      await page.getByRole('button', { name: 'Summarize' }).click();
      const summary = page.getByRole('region', { name: 'Summary' });
      await summary.getByText('What they ask').waitFor({ timeout: 30_000 });
      expect(await summary.textContent()).toMatch(/40 vehicles|EU|CFO/);
      await shot(page, '03-summary');

      await page.getByRole('radio', { name: '20 s' }).check();
      await page.getByRole('button', { name: 'Draft script' }).click();
      const script = page.getByRole('textbox', { name: 'Script' });
      await expect.poll(() => script.inputValue(), { timeout: 30_000 }).toContain('Priya');
      await expect.poll(() => page.getByText(/About \d+ s spoken/).isVisible()).toBe(true);
      await shot(page, '04-script');

      // "Still photo with voice" (static renderer): the fastest style on a 2-core machine keeps this test short.
      await expect.poll(() => page.getByLabel('Style').locator('option').allTextContents()).toContain('Still photo with voice');
      await page.getByLabel('Style').selectOption('static');
      const seen: number[] = [];
      const streams: (string | undefined)[] = [];
      page.on('request', (r) => r.url().endsWith('/events') && streams.push(r.headers().authorization));
      await page.getByRole('button', { name: 'Create video' }).click();
      const progressLabel = page.getByText(/ · \d+%$/);
      await progressLabel.first().waitFor({ timeout: 30_000 });
      await shot(page, '05-rendering');
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !(await page.getByText('Your video is ready.').isVisible())) {
        const text = await progressLabel.first().textContent().catch(() => null);
        const n = Number(text?.match(/(\d+)%$/)?.[1]);
        if (Number.isFinite(n)) seen.push(n);
        const failure = page.getByText(/could not be made/);
        if (await failure.isVisible()) {
          await shot(page, '05-render-failed');
          expect.fail(`render failed in the pane: ${await failure.textContent()}`);
        }
        await page.waitForTimeout(250);
      }
      await page.getByText('Your video is ready.').waitFor({ timeout: 1000 });
      expect(await page.getByText('Done · 100%').isVisible()).toBe(true);
      expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true);
      // Progress came over the SSE stream, fetched with the Bearer header (EventSource cannot send one).
      expect(streams).toHaveLength(1);
      expect(streams[0]).toMatch(/^Bearer \S+$/);
      const preview = page.locator('video');
      await expect.poll(() => preview.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await shot(page, '06-video-ready');

      await page.getByRole('button', { name: 'Insert into email' }).first().click();
      await page.getByText('Inserted. Check the email before you send it.').waitFor();
      await shot(page, '07-inserted');

      const inserted = await page.evaluate(() => (window as unknown as { __inserted: { data: string; coercionType: string }[] }).__inserted);
      expect(inserted).toHaveLength(1);
      expect(inserted[0]!.coercionType).toBe('html');
      const list = (await running.container.db.selectFrom('videos').select(['slug', 'status']).execute()) as { slug: string; status: string }[];
      expect(list).toHaveLength(1);
      const watchUrl = `${PUBLIC_URL}/v/${list[0]!.slug}`;
      const parts = await page.evaluate((html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const links = [...doc.querySelectorAll('a')];
        return {
          data: inserted0(html),
          imageLinks: links.filter((a) => a.querySelector('img')).map((a) => ({
            href: a.getAttribute('href'),
            imgs: [...a.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src'), width: i.getAttribute('width'), height: i.getAttribute('height'), alt: i.getAttribute('alt') })),
          })),
          textLinks: links.filter((a) => !a.querySelector('img')).map((a) => ({ href: a.getAttribute('href'), text: a.textContent?.trim() })),
        };
        function inserted0(s: string) {
          return s.length;
        }
      }, inserted[0]!.data);
      expect(parts.imageLinks).toHaveLength(1);
      expect(parts.imageLinks[0]!.href).toBe(watchUrl);
      expect(parts.imageLinks[0]!.imgs).toHaveLength(1);
      const img = parts.imageLinks[0]!.imgs[0]!;
      expect(img.src).toMatch(/^https:\/\//);
      expect(Number(img.width)).toBeGreaterThan(0);
      expect(Number(img.height)).toBeGreaterThan(0);
      expect(img.alt).toMatch(/^▶ Play video: .+ \(\d+:\d\d\)$/);
      expect(parts.textLinks).toEqual([{ href: watchUrl, text: expect.stringMatching(/^Watch the video \(\d+:\d\d\)$/) }]);
      expect(inserted[0]!.data).not.toContain('data:');

      // The inserted image really is served (through the public host, by the real server).
      const poster = await page.request.get(img.src!.replace(PUBLIC_URL, base));
      expect(poster.status()).toBe(200);
      expect(poster.headers()['content-type']).toBe('image/jpeg');
      expect(errors).toEqual([]);
    } finally {
      if (errors.length) process.stderr.write(`browser errors: ${errors.join('\n')}\n`);
      await context.close();
    }
  });

  it('read mode in Vietnamese: the pane follows Office’s language and "Reply with this video" opens a reply holding the block', async () => {
    const email = await loadEmail('real-estate-vi');
    const { context, page, errors } = await openPane({
      mode: 'read',
      subject: email.subject,
      from: email.from,
      to: email.to,
      body: asHtml(email),
      bodyType: 'html',
      displayLanguage: 'vi-VN',
      user: { displayName: 'Trần Minh Quân', emailAddress: 'quan.tran@nhadat-saigon.example.vn' },
    });
    try {
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
      await shot(page, '08-vi-sign-in');
      await signIn(page, { email: 'Email', password: 'Mật khẩu', submit: 'Đăng nhập' });
      await page.getByRole('region', { name: 'Email này' }).getByText('Hỏi về căn hộ 2 phòng ngủ ở Thảo Điền').waitFor();
      const recent = page.getByRole('region', { name: 'Video gần đây' });
      await recent.getByText('Sẵn sàng').first().waitFor({ timeout: 15_000 });
      await shot(page, '09-vi-read');

      // A hand-written script with a voice this server cannot speak: the failure is shown in words, with a retry.
      await page.getByRole('textbox', { name: 'Kịch bản' }).fill('Chào chị Lan, cảm ơn chị đã quan tâm đến căn hộ ở Thảo Điền.');
      await page.getByText(/Khoảng \d+ giây khi nói/).waitFor();
      await page.getByLabel('Giọng nói').selectOption('openai');
      await page.getByRole('button', { name: 'Tạo video' }).click();
      await page.getByText(/Không tạo được video: .*OPENAI_API_KEY/).waitFor({ timeout: 60_000 });
      expect(await page.getByRole('button', { name: 'Thử lại' }).isVisible()).toBe(true);
      await shot(page, '09b-vi-render-failed');
      await recent.getByRole('button', { name: 'Trả lời kèm video này' }).first().click();
      await page.getByText('Đã mở thư trả lời có video.').waitFor();
      const replies = await page.evaluate(() => (window as unknown as { __replies: string[] }).__replies);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/<a href="https:\/\/mail-video\.test\/v\/[^"]+"[^>]*><img src="https:\/\/mail-video\.test\/v\/[^"]+\/poster\.jpg"/);
      await shot(page, '10-vi-reply-opened');
      expect(errors).toEqual([]);
    } finally {
      if (errors.length) process.stderr.write(`browser errors: ${errors.join('\n')}\n`);
      await context.close();
    }
  });
});


