/* Test support (not a test): a real SMTP server on 127.0.0.1 that parses what it receives. */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  received: ParsedMail[];
  /** Mails received for an address so far. */
  to(address: string): ParsedMail[];
  /** Waits until `count` mails arrived for the address. */
  waitFor(address: string, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/**
 * Accepts every recipient except those at `rejectDomain`, which get a permanent 550. Like a real mail server,
 * a message counts as received once its final dot arrived (then it is queued for delivery), and only then is
 * 250 answered; `holdReply` may delay that answer for chosen recipients (a slow server, or a client that dies
 * before it hears back); `holdRcpt` delays the answer to a recipient (a client dying mid-envelope), or refuses it.
 */
export async function startSmtpSink(
  opts: { rejectDomain?: string; holdReply?: (to: string[]) => Promise<void> | undefined; holdRcpt?: (address: string) => Promise<void> | undefined } = {},
): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.rejectDomain && address.address.endsWith(`@${opts.rejectDomain}`)) {
        const err = Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 });
        return cb(err);
      }
      const hold = opts.holdRcpt?.(address.address);
      if (hold) void hold.then(() => cb(), (err: Error) => cb(err));
      else cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then(async (mail) => {
          received.push(mail);
          await opts.holdReply?.(session.envelope.rcptTo.map((r) => r.address));
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  // A client that dies mid-conversation resets its connection; a server logs that and carries on.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const to = (address: string) => received.filter((m) => [m.to].flat().some((a) => a?.value.some((v) => v.address === address)));
  return {
    port,
    received,
    to,
    async waitFor(address, count = 1, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (to(address).length < count) {
        if (Date.now() > end) throw new Error(`expected ${count} mail(s) for ${address}, got ${to(address).length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return to(address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
