/* A local SendGrid v3 fake keeping the documented contract (reference: providers.md §4): mail send and the signed event webhook. */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

export interface StoredMail {
  xMessageId: string;
  body: {
    personalizations: { to: { email: string; name?: string }[]; custom_args?: Record<string, string>; subject?: string }[];
    from: { email: string; name?: string };
    subject?: string;
    content?: { type: string; value: string }[];
    headers?: Record<string, string>;
    custom_args?: Record<string, string>;
    categories?: string[];
    tracking_settings?: Record<string, { enable?: boolean }>;
  };
}

export interface FakeSendGrid {
  url: string;
  apiKey: string;
  /** Base64 DER SubjectPublicKeyInfo of the P-256 key that signs events (what SendGrid's settings API returns). */
  publicKey: string;
  mails: StoredMail[];
  /** Events for the stored mail to `email`, as SendGrid posts them: a signed JSON array (body + headers). */
  eventPost(events: { email: string; event: string; extra?: Record<string, unknown>; sgEventId?: string }[], opts?: { timestamp?: number }): { body: string; headers: Record<string, string> };
  close(): Promise<void>;
}

const err = (res: http.ServerResponse, status: number, message: string, field: string | null = null) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message, field, help: null }], id: randomBytes(8).toString('hex') }));
};

/** Starts the fake on 127.0.0.1 with its own API key and event-signing key pair. */
export async function startFakeSendGrid(apiKey = `SG.${randomBytes(12).toString('base64url')}`): Promise<FakeSendGrid> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const mails: StoredMail[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v3/mail/send') return err(res, 404, 'not found');
      if (req.headers.authorization !== `Bearer ${apiKey}`) return err(res, 401, 'authorization required');
      let body: StoredMail['body'];
      try {
        body = JSON.parse(raw) as StoredMail['body'];
      } catch {
        return err(res, 400, 'Bad Request', null);
      }
      const p = body.personalizations;
      if (!Array.isArray(p) || p.length < 1 || p.length > 1000) return err(res, 400, 'The personalizations field is required and must have at least one personalization.', 'personalizations');
      if (p.some((x) => !Array.isArray(x.to) || x.to.length === 0 || x.to.some((t) => !t.email))) return err(res, 400, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.', 'personalizations.0.to');
      if (!body.from?.email) return err(res, 400, 'The from object must be provided for every email send.', 'from');
      if (!body.content?.length) return err(res, 400, 'Unless a valid template_id is provided, the content parameter is required.', 'content');
      if (body.content[0]!.type !== 'text/plain' && body.content.some((c) => c.type === 'text/plain')) return err(res, 400, 'If present, text/plain content must be first.', 'content');
      if ((body.categories?.length ?? 0) > 10) return err(res, 400, 'Too many categories.', 'categories');
      const xMessageId = randomBytes(16).toString('base64url');
      mails.push({ xMessageId, body });
      res.writeHead(202, { 'x-message-id': xMessageId });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    mails,
    eventPost(events, opts = {}) {
      const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
      const list = events.map((e) => {
        const mail = mails.find((m) => m.body.personalizations.some((p) => p.to.some((t) => t.email === e.email)));
        if (!mail) throw new Error(`no mail sent to ${e.email}`);
        const pers = mail.body.personalizations.find((p) => p.to.some((t) => t.email === e.email))!;
        return {
          email: e.email,
          timestamp: Number(ts),
          event: e.event,
          'smtp-id': `<${mail.xMessageId}@ismtpd0001p1las1.sendgrid.net>`,
          sg_event_id: e.sgEventId ?? randomBytes(16).toString('base64url'),
          sg_message_id: `${mail.xMessageId}.filter0001p1las1-1234-5F3A8B2C-1.0`,
          category: mail.body.categories ?? [],
          // custom_args (message level, then personalization level) are flattened into every event.
          ...mail.body.custom_args,
          ...pers.custom_args,
          ...e.extra,
        };
      });
      const body = JSON.stringify(list);
      const signature = createSign('sha256').update(ts + body).sign(privateKey).toString('base64');
      return {
        body,
        headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts },
      };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
