import http from 'node:http';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink';
import { startWorker, type Worker } from '../jobs/worker';
import { api, createList, until } from './campaigns.fixtures';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
const firstName = (i: number) => `Guest${String(i).padStart(3, '0')}`;

/*
 * The whole campaign against a real SMTP server: 200 contacts on PostgreSQL (20 on PGlite, where the same
 * code runs in one WASM session and a 200-render campaign would only measure that). Fast path: the `static`
 * renderer (the avatar photo as a still under the contact's own TTS audio: a real MP4, poster and GIF,
 * ffprobe-checked like every render) with a one-sentence script and three campaign render slots, because 200
 * talking-photo renders take minutes on this machine; the talking path and its speed are the benchmark's.
 */
describeEachBackend('a campaign end to end over SMTP', (backend) => {
  const N = backend === 'postgres' ? 200 : 20;
  let env: TestEnv;
  let worker: Worker;
  let smtp: SmtpSink;
  let receiver: http.Server;
  const hooks: { type: string; data: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    env = await createTestEnv(backend, {
      startQueue: true,
      env: {
        MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Demo Sender <sender@demo.com>',
        MAIL_RATE_SMTP_PER_MINUTE: '60000', CAMPAIGN_RENDER_CONCURRENCY: '3',
      },
    });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
    await smtp?.close();
    receiver?.close();
  });

  it(`gives each of ${N} contacts exactly one message with their own name, watch link, poster and unsubscribe headers; a click shows in their analytics`, async () => {
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const user = api(env, token);
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    const hook = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`, events: ['campaign.rendered', 'campaign.sending', 'campaign.sent'] }) });
    expect(hook.status).toBe(201);
    const { listId } = await createList(env, 'Two hundred', Array.from({ length: N }, (_, i) => ({ email: `guest${i}@lead.example`, first_name: firstName(i), company: `Firm ${i}` })));

    const created = await user.post('/api/v1/campaigns/', {
      name: 'Thank you', avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static',
      script: 'Hi {{first_name}}, thank you for coming.', subject: 'Thank you, {{first_name}}', body: 'Dear {{first_name}} of {{company}},\n\n{{video}}\n\nSee you soon.',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await user.post(`/api/v1/campaigns/${id}/render`)).status).toBe(202);
    const reviewed = await until(() => user.campaign(id), (c) => c.status !== 'rendering', 600_000, 500);
    expect(reviewed).toMatchObject({ status: 'review', counts: { rendered: N, render_failed: 0 } });

    expect((await user.post(`/api/v1/campaigns/${id}/approve`, {})).body.approved).toBe(N);
    expect((await user.post(`/api/v1/campaigns/${id}/send`, {})).status).toBe(202);
    const sent = await until(() => user.campaign(id), (c) => c.status === 'sent', 120_000, 200);
    expect(sent.counts).toMatchObject({ sent: N, sending: 0, send_failed: 0, bounced: 0 });
    await until(async () => smtp.received.length, (n) => n >= N, 10_000, 50);

    // Exactly one message per contact.
    expect(smtp.received).toHaveLength(N);
    const recipients: CampaignRecipient[] = [];
    for (let page = 1; page <= Math.ceil(N / 100); page++) recipients.push(...((await user.get(`/api/v1/campaigns/${id}/recipients?page=${page}&page_size=100`)).body.items as CampaignRecipient[]));
    const byEmail = new Map(recipients.map((r) => [r.email, r]));
    const videos = new Map((await env.container.db.selectFrom('videos').select(['id', 'script', 'slug']).where('campaign_id', '=', id).execute()).map((v) => [v.id, v]));
    const messageIds = new Set<string>();
    for (let i = 0; i < N; i++) {
      const email = `guest${i}@lead.example`;
      const mails = smtp.to(email);
      expect(mails, email).toHaveLength(1);
      const m = mails[0]!;
      const r = byEmail.get(email)!;
      expect(m.subject).toBe(`Thank you, ${firstName(i)}`);
      expect(m.text).toContain(`Dear ${firstName(i)} of Firm ${i},`);
      // Their own transcript, watch link and poster.
      expect(videos.get(r.video_id!)!.script).toBe(`Hi ${firstName(i)}, thank you for coming.`);
      const html = m.html as string;
      expect(html).toContain(`href="${r.watch_url}"`);
      expect(html).toContain(`src="${r.watch_url}/poster.jpg"`);
      expect(header(m, 'list-unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/u\/[0-9a-f]{64}\.[\w-]+>, <mailto:sender@demo\.com\?subject=unsubscribe%20/);
      expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(m.messageId).toBe(`<cmp.${id}.${r.id}@demo.com>`);
      messageIds.add(m.messageId!);
    }
    expect(messageIds.size).toBe(N);
    expect(new Set(recipients.map((r) => r.watch_url)).size).toBe(N);

    // Contact 17 opens the email (the poster) and follows the link: it shows in their analytics only.
    const r17 = byEmail.get('guest17@lead.example')!;
    const poster = await env.request(`${new URL(r17.watch_url!).pathname}/poster.jpg`, { headers: { 'user-agent': CHROME } });
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const stored = await env.container.db.selectFrom('videos').select('poster_key').where('id', '=', r17.video_id!).executeTakeFirstOrThrow();
    expect(Buffer.from(await poster.arrayBuffer()).equals(await env.container.storage.getBuffer(stored.poster_key!))).toBe(true);
    const page = await env.request(new URL(r17.watch_url!).pathname, { headers: { 'user-agent': CHROME } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Hi ${firstName(17)}, thank you for coming.`);
    await env.container.tracking.flush();
    type Row = { email: string; delivered: number; clicks_human: number; clicks_unknown: number; clicks_machine: number };
    const per: Row[] = [];
    for (let p = 1; p <= Math.ceil(N / 100); p++) per.push(...((await user.get(`/api/v1/campaigns/${id}/analytics/recipients?page=${p}&page_size=100`)).body.items as Row[]));
    expect(per).toHaveLength(N);
    const clicks = (x: (typeof per)[number]) => x.clicks_human + x.clicks_unknown + x.clicks_machine;
    expect(per.find((x) => x.email === 'guest17@lead.example')).toMatchObject({ delivered: 1 });
    expect(clicks(per.find((x) => x.email === 'guest17@lead.example')!)).toBe(1);
    expect(per.filter((x) => x.email !== 'guest17@lead.example').every((x) => clicks(x) === 0 && x.delivered === 1)).toBe(true);
    // (A click within 10 s of delivery is classified a link scanner's: it still counts, as machine.)
    const totals = ((await user.get(`/api/v1/campaigns/${id}/analytics`)).body as { totals: Row }).totals;
    expect(totals.delivered).toBe(N);
    expect(clicks(totals)).toBe(1);

    // campaign.* webhooks went out through the outgoing webhooks.
    await until(async () => hooks.map((h) => h.type), (t) => t.includes('campaign.sent'), 30_000);
    expect(hooks.find((h) => h.type === 'campaign.rendered')!.data).toMatchObject({ campaign_id: id, rendered: N, failed: 0 });
    expect(hooks.find((h) => h.type === 'campaign.sent')!.data).toMatchObject({ campaign_id: id, sent: N, send_failed: 0 });
  }, 900_000);
});
