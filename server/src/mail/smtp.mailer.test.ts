import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink';
import { MailError, type OutgoingMail } from './mailer';
import { pooledUrl, SmtpMailer } from './smtp.mailer';

const mail = (to: string, over: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: 'Sender <sender@demo.example>',
  to: { email: to, name: null },
  subject: 'Hello',
  html: '<p>Hello</p>',
  text: 'Hello',
  headers: { 'X-Test': '1' },
  attribution: { tenant_id: 't', video_id: 'v', recipient_id: 'r', message_id: 'm' },
  ...over,
});

describe('SmtpMailer', () => {
  let smtp: SmtpSink;
  let mailer: SmtpMailer;
  const rcpts: string[] = [];
  beforeAll(async () => {
    smtp = await startSmtpSink({
      rejectDomain: 'bounce.example',
      // A slow recipient answer: a hook that ran before the envelope was done would see no accepted recipient.
      holdRcpt: async (address) => {
        await new Promise((r) => setTimeout(r, 50));
        rcpts.push(address);
      },
    });
    mailer = new SmtpMailer(`smtp://127.0.0.1:${smtp.port}`, { maxConnections: 3 });
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
  });

  it('runs beforeCommit once, after the server took the recipient and before it has the whole message; keeps our Message-ID', async () => {
    const seen: string[] = [];
    let hookCalls = 0;
    await mailer.send(mail('gate@x.example', { messageId: '<cmp.1.2@demo.example>' }), {
      beforeCommit: async () => {
        hookCalls++;
        seen.push(`rcpt accepted: ${rcpts.includes('gate@x.example')}`, `received: ${smtp.to('gate@x.example').length}`);
        await new Promise((r) => setTimeout(r, 100)); // the server must still be waiting for the final dot
        seen.push(`received: ${smtp.to('gate@x.example').length}`);
      },
    });
    expect(hookCalls).toBe(1);
    expect(seen).toEqual(['rcpt accepted: true', 'received: 0', 'received: 0']);
    const [m] = await smtp.waitFor('gate@x.example');
    expect(m!.messageId).toBe('<cmp.1.2@demo.example>');
    expect(m!.headers.get('x-test')).toBe('1');
  });

  it('delivers nothing when beforeCommit fails (the transaction is aborted before the final dot)', async () => {
    let ran = false;
    const err = await mailer.send(mail('abort@x.example'), { beforeCommit: async () => ((ran = true), Promise.reject(new Error('database down'))) }).catch((e: unknown) => e);
    expect(ran).toBe(true);
    expect(err).toBeInstanceOf(MailError);
    expect((err as MailError).permanent).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.to('abort@x.example')).toHaveLength(0);
    // The pool recovers: the next message goes through.
    await mailer.send(mail('after@x.example'));
    await smtp.waitFor('after@x.example');
  });

  it('reports a 550 recipient as a permanent failure, and sends many messages concurrently over the pool', async () => {
    const bounced = await mailer.send(mail('ghost@bounce.example')).catch((e: unknown) => e);
    expect((bounced as MailError).permanent).toBe(true);
    await Promise.all(Array.from({ length: 20 }, (_, i) => mailer.send(mail(`p${i}@x.example`))));
    for (let i = 0; i < 20; i++) expect(smtp.to(`p${i}@x.example`)).toHaveLength(1);
  });

  it('adds the pool to a plain URL and respects one that says otherwise', () => {
    expect(pooledUrl('smtp://u:p@mail.example:587', 4)).toBe('smtp://u:p@mail.example:587?pool=true&maxConnections=4');
    expect(pooledUrl('smtps://mail.example?pool=false', 4)).toBe('smtps://mail.example?pool=false');
    expect(pooledUrl('smtp://mail.example?maxConnections=9', 4)).toBe('smtp://mail.example?maxConnections=9&pool=true');
  });
});
