import fs from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
type SendAnswer = { send_id: string; sent: number; skipped: number; failed: number; results: { email: string; status: string; reason: string | null; message_id: string; watch_url: string }[] };

const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');

describeEachBackend('sending video emails over SMTP', (backend) => {
  let env: TestEnv;
  let smtp: SmtpSink;
  let media: Media;
  let video: StoredVideo;
  let user: string;
  let n = 0;
  const send = (body: Record<string, unknown>, key = `key-${Date.now()}-${n++}`) =>
    env.request('/api/v1/emails/send', { method: 'POST', token: user, headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ video_id: video.id, ...body }) });

  beforeAll(async () => {
    smtp = await startSmtpSink({ rejectDomain: 'bounce.example' });
    env = await createTestEnv(backend, { env: { MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Demo Sender <sender@demo.com>' } });
    media = await renderTestMedia(2);
    video = await storeVideo(env.container, media, DEMO.user.email, { title: 'Pilot pricing' });
    user = await env.login(DEMO.user.email, DEMO.user.password);
  });
  afterAll(async () => {
    await env.close();
    await smtp.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('delivers multipart mail with List-Unsubscribe and one linked, sized thumbnail; the thumbnail records an open and the link a click', async () => {
    const res = await send({ to: [{ email: 'Lan@Customer.example', name: 'Lan Nguyen' }], subject: 'Hi {{first_name}}, a video for you', body_text: 'Hi {{first_name}},\n\n{{video}}\n\nBest,\nDemo' });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as SendAnswer;
    expect(answer).toMatchObject({ sent: 1, failed: 0, skipped: 0 });
    const watchUrl = answer.results[0]!.watch_url;
    const [mail] = await smtp.waitFor('lan@customer.example');
    expect(mail!.from?.value[0]).toMatchObject({ address: 'sender@demo.com', name: 'Demo Sender' });
    expect(mail!.subject).toBe('Hi Lan, a video for you');
    expect(header(mail!, 'list-unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/u\/[0-9a-f]{64}\.[\w-]+>, <mailto:sender@demo\.com\?subject=unsubscribe%20[0-9a-f]{64}\.[\w-]+>$/);
    expect(header(mail!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const html = mail!.html as string;
    const linked = [...html.matchAll(/<a href="([^"]+)"[^>]*>(<img [^>]*>)<\/a>/g)];
    expect(linked).toHaveLength(1);
    expect(html.match(/<img /g)).toHaveLength(1);
    const [, href, img] = linked[0]!;
    expect(href).toBe(watchUrl);
    expect(img).toMatch(/ width="480" height="360" /); // 320×240 fitted to the 480×400 email box
    expect(img).toContain('alt="▶ Play video: Pilot pricing (0:04)"');
    expect(html.indexOf('Hi Lan,')).toBeLessThan(html.indexOf('<table'));
    expect(mail!.text).toContain(`Watch the video (0:04): ${watchUrl}`);
    expect(mail!.text).toMatch(/^Hi Lan,/);

    // The recipient's mail client loads the image, then the person follows the link.
    const src = /src="([^"]+)"/.exec(img!)![1]!;
    const thumb = await env.request(new URL(src).pathname, { headers: { 'user-agent': CHROME } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect((await env.request(new URL(href!).pathname, { headers: { 'user-agent': CHROME } })).status).toBe(200);
    await env.container.tracking.flush();
    const a = (await (await env.request(`/api/v1/videos/${video.id}/analytics`, { token: user })).json()) as { recipients: Record<string, number | string>[] };
    const lan = a.recipients.find((r) => r.email === 'lan@customer.example')!;
    expect(lan.delivered).toBe(1);
    expect(Number(lan.opens_human) + Number(lan.opens_machine) + Number(lan.opens_unknown)).toBe(1);
    expect(Number(lan.clicks_human) + Number(lan.clicks_machine) + Number(lan.clicks_unknown)).toBe(1);

    const outbox = (await (await env.request(`/api/v1/emails/outbox/${answer.results[0]!.message_id}`, { token: user })).json()) as Record<string, unknown>;
    expect(outbox).toMatchObject({ status: 'sent', provider: 'smtp', subject: 'Hi Lan, a video for you', to: { email: 'lan@customer.example', name: 'Lan Nguyen' } });
  });

  it('sends once for one idempotency key, also for concurrent duplicates, and refuses the key with another body (409)', async () => {
    const body = { to: [{ email: 'once@customer.example' }], subject: 'Once', body_html: '<p>Hello {{name}}</p>{{video}}' };
    const [a, b] = await Promise.all([send(body, 'same-key-123'), send(body, 'same-key-123')]);
    const third = await send(body, 'same-key-123');
    const answers = (await Promise.all([a, b, third].map((r) => r.json()))) as SendAnswer[];
    expect([a.status, b.status, third.status]).toEqual([200, 200, 200]);
    expect(new Set(answers.map((x) => x.send_id)).size).toBe(1);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    const other = await send({ ...body, subject: 'Something else' }, 'same-key-123');
    expect(other.status).toBe(409);
    expect(((await other.json()) as { code: string }).code).toBe('idempotency_conflict');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.to('once@customer.example')).toHaveLength(1);
    expect(smtp.to('once@customer.example')[0]!.html).toContain('<p>Hello there</p><table');
  });

  it('does not unsubscribe on a scanner GET; the one-click POST does, and later sends skip the address', async () => {
    const to = [{ email: 'quit@customer.example', name: 'Quit' }];
    expect(((await (await send({ to, subject: 'One' })).json()) as SendAnswer).sent).toBe(1);
    const [mail] = await smtp.waitFor('quit@customer.example');
    const url = new URL(/^<([^>]+)>/.exec(header(mail!, 'list-unsubscribe')!)![1]!);
    const scan = await env.request(url.pathname, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks scanner)' } });
    expect(scan.status).toBe(200);
    const page = await scan.text();
    expect(page).toContain('<form method="post"');
    expect(page).toContain('Hủy đăng ký');
    expect(((await (await send({ to, subject: 'Two' })).json()) as SendAnswer).sent).toBe(1);
    await smtp.waitFor('quit@customer.example', 2);

    const post = await env.request(url.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('You are unsubscribed');
    const later = (await (await send({ to: [...to, { email: 'stay@customer.example' }], subject: 'Three' })).json()) as SendAnswer;
    expect(later).toMatchObject({ sent: 1, skipped: 1 });
    expect(later.results.find((r) => r.email === 'quit@customer.example')).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    await smtp.waitFor('stay@customer.example');
    expect(smtp.to('quit@customer.example')).toHaveLength(2);
    expect((await env.request(`${url.pathname.slice(0, -4)}AAAA`, { method: 'POST' })).status).toBe(404);
  });

  it('marks an address bounced on a permanent SMTP error and skips it afterwards', async () => {
    const first = (await (await send({ to: [{ email: 'ghost@bounce.example' }], subject: 'Hello' })).json()) as SendAnswer;
    expect(first.results[0]).toMatchObject({ status: 'failed' });
    expect(first.results[0]!.reason).toMatch(/550/);
    const m = (await (await env.request(`/api/v1/emails/outbox/${first.results[0]!.message_id}`, { token: user })).json()) as { status: string };
    expect(m.status).toBe('bounced');
    const again = (await (await send({ to: [{ email: 'ghost@bounce.example' }], subject: 'Hello' })).json()) as SendAnswer;
    expect(again.results[0]).toMatchObject({ status: 'skipped', reason: 'bounced' });
  });

  it('refuses unknown videos (404), unfinished ones (409 video_not_ready) and more than 100 recipients (422)', async () => {
    const unknown = await env.request('/api/v1/emails/send', { method: 'POST', token: user, ...jsonBody({ video_id: '00000000-0000-4000-8000-000000000000', to: [{ email: 'a@b.example' }], subject: 'x' }) });
    expect(unknown.status).toBe(404);
    const rendering = await storeVideo(env.container, media, DEMO.user.email, { status: 'rendering' });
    const early = await env.request('/api/v1/emails/send', { method: 'POST', token: user, ...jsonBody({ video_id: rendering.id, to: [{ email: 'a@b.example' }], subject: 'x' }) });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe('video_not_ready');
    const many = await send({ to: Array.from({ length: 101 }, (_, i) => ({ email: `p${i}@x.example` })), subject: 'x' });
    expect(many.status).toBe(422);
  });
});
