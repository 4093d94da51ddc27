import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startFakeSendGrid, type FakeSendGrid } from '../../test/fakes/sendgrid.fake';
import { MailError } from '../mail/mailer';
import { SendGridMailer } from '../mail/sendgrid.mailer';
import { renderTestMedia, storeVideo, type Media, type StoredVideo } from '../watch/watch.fixtures';

type SendAnswer = { sent: number; results: { email: string; status: string; reason: string | null; message_id: string; recipient_id: string }[] };

describeEachBackend('SendGrid driver and signed event webhook', (backend) => {
  let env: TestEnv;
  let sg: FakeSendGrid;
  let media: Media;
  let video: StoredVideo;
  let user: string;
  let first: SendAnswer;
  let n = 0;
  const send = async (to: { email: string; name?: string }[]) =>
    (await (
      await env.request('/api/v1/emails/send', {
        method: 'POST',
        token: user,
        headers: { 'content-type': 'application/json', 'idempotency-key': `sg-key-${n++}` },
        body: JSON.stringify({ video_id: video.id, to, subject: 'Your video', body_text: 'Hello {{first_name}}' }),
      })
    ).json()) as SendAnswer;
  const post = (p: { body: string; headers: Record<string, string> }) => env.request('/api/v1/webhooks/sendgrid', { method: 'POST', headers: p.headers, body: p.body });
  const message = async (id: string) => (await (await env.request(`/api/v1/emails/outbox/${id}`, { token: user })).json()) as { status: string; provider_message_id: string; error: string | null };

  beforeAll(async () => {
    sg = await startFakeSendGrid();
    env = await createTestEnv(backend, {
      env: { MAIL_DRIVER: 'sendgrid', SENDGRID_API_KEY: sg.apiKey, SENDGRID_BASE_URL: sg.url, SENDGRID_WEBHOOK_PUBLIC_KEY: sg.publicKey, MAIL_FROM: 'Demo Sender <sender@demo.com>' },
    });
    media = await renderTestMedia(1);
    video = await storeVideo(env.container, media, DEMO.user.email);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    first = await send([{ email: 'an@customer.example', name: 'An Tran' }, { email: 'binh@customer.example' }]);
  });
  afterAll(async () => {
    await env.close();
    await sg.close();
    await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('sends one v3 mail per recipient with attribution custom_args, our headers, text before HTML and SendGrid tracking off', async () => {
    expect(first.sent).toBe(2);
    expect(sg.mails).toHaveLength(2);
    const an = sg.mails.find((m) => m.body.personalizations[0]!.to[0]!.email === 'an@customer.example')!;
    const r = first.results.find((x) => x.email === 'an@customer.example')!;
    expect(an.body.personalizations[0]!.custom_args).toEqual({ tenant_id: video.tenantId, video_id: video.id, recipient_id: r.recipient_id, message_id: r.message_id });
    expect(an.body.personalizations[0]!.to[0]).toEqual({ email: 'an@customer.example', name: 'An Tran' });
    expect(an.body.from).toEqual({ email: 'sender@demo.com', name: 'Demo Sender' });
    expect(an.body.content!.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    expect(an.body.content![1]!.value).toContain('<img src="http://localhost:3000/v/');
    expect(an.body.headers!['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(an.body.tracking_settings).toMatchObject({ click_tracking: { enable: false }, open_tracking: { enable: false } });
    expect((await message(r.message_id)).provider_message_id).toBe(an.xMessageId);
  });

  it('maps signed delivered and bounce events once each (duplicates ignored) and skips the bounced address later', async () => {
    const res = await post(
      sg.eventPost([
        { email: 'an@customer.example', event: 'processed' },
        { email: 'an@customer.example', event: 'delivered', sgEventId: 'dup-1', extra: { response: '250 OK' } },
        { email: 'an@customer.example', event: 'delivered', sgEventId: 'dup-1', extra: { response: '250 OK' } },
        { email: 'binh@customer.example', event: 'bounce', extra: { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 user unknown' } },
        { email: 'an@customer.example', event: 'open', extra: { sg_machine_open: true, useragent: 'Mozilla/5.0' } },
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 5, applied: 4, duplicates: 1, ignored: 0 });
    const binh = first.results.find((x) => x.email === 'binh@customer.example')!;
    expect(await message(binh.message_id)).toMatchObject({ status: 'bounced', error: 'bounce (bounce): 550 5.1.1 user unknown' });
    const later = await send([{ email: 'binh@customer.example' }]);
    expect(later.results[0]).toMatchObject({ status: 'skipped', reason: 'bounced' });
    expect(sg.mails).toHaveLength(2);
    const recipient = await env.container.db.selectFrom('video_recipients').select('delivered_at').where('email', '=', 'an@customer.example').executeTakeFirstOrThrow();
    expect(recipient.delivered_at).toBeInstanceOf(Date);
  });

  it('an unsubscribe event stops later sends to that address', async () => {
    expect((await post(sg.eventPost([{ email: 'an@customer.example', event: 'unsubscribe' }]))).status).toBe(200);
    expect((await send([{ email: 'an@customer.example' }])).results[0]).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
  });

  it('refuses a tampered body, a stale timestamp, another key and missing headers with 401 invalid_signature', async () => {
    const ok = sg.eventPost([{ email: 'an@customer.example', event: 'delivered' }]);
    const tampered = { ...ok, body: ok.body.replace('delivered', 'bounce') };
    const stale = sg.eventPost([{ email: 'an@customer.example', event: 'delivered' }], { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const other = await startFakeSendGrid();
    other.mails.push(...sg.mails);
    const foreign = other.eventPost([{ email: 'an@customer.example', event: 'delivered' }]);
    await other.close();
    const bare = { body: ok.body, headers: { 'content-type': 'application/json' } };
    for (const p of [tampered, stale, foreign, bare]) {
      const res = await post(p);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('invalid_signature');
    }
  });

  it('reports a wrong API key as a permanent error from the client', async () => {
    const bad = new SendGridMailer('SG.wrong', sg.url);
    const mail = { from: 'a@demo.com', to: { email: 'x@y.example', name: null }, subject: 's', html: '<p>h</p>', text: 't', headers: {}, attribution: { tenant_id: 't', video_id: 'v', recipient_id: 'r', message_id: 'm' } };
    const e = await bad.send(mail).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MailError);
    expect(e).toMatchObject({ permanent: true, message: 'SendGrid 401: authorization required' });
  });
});
