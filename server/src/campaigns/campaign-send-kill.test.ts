import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestEnv, describeEachBackend, DEMO, freshPostgres, type TestEnv } from '../../test/harness';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink';
import { renderTestMedia, type Media } from '../watch/watch.fixtures';
import { api, approveWithStoredVideos, createList, until } from './campaigns.fixtures';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const N = 150;

/** A real `npm run worker` process on the given database, sending to the test's SMTP server. */
function spawnWorker(databaseUrl: string, dataDir: string, smtpPort: number): ChildProcess {
  const env = {
    ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn',
    MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Demo Sender <sender@demo.com>',
    // One message in flight, so each kill lands exactly where the test holds the server (see below).
    MAIL_RATE_SMTP_PER_MINUTE: '1200', MAIL_SEND_CONCURRENCY: '1',
    JOB_HEARTBEAT_SECONDS: '1', JOB_HEARTBEAT_TIMEOUT_SECONDS: '3', JOB_MAINTENANCE_SECONDS: '1', JOB_RETRY_DELAY_SECONDS: '1',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}
const killed = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));

/*
 * At most once, none lost: a worker process is SIGKILLed twice in the middle of sending, at the two moments
 * that decide the outcome — once while the mail server holds its answer to a message it already has whole
 * (handed over, no reply yet: must not be sent again), once while the server holds its answer to a
 * recipient (mid-conversation, the message incomplete: must be sent again) — and after each restart the
 * campaign completes with every contact holding exactly one message. The one window this cannot reach is
 * between recording the hand-over and the final dot leaving the process (see campaign-sender.ts).
 * Needs PostgreSQL: the worker is another process.
 */
if (BACKENDS.includes('postgres')) {
  describe('a worker SIGKILLed in the middle of sending [postgres, smtp]', () => {
    let env: TestEnv;
    let pg: Awaited<ReturnType<typeof freshPostgres>>;
    let smtp: SmtpSink;
    let media: Media;
    const children: ChildProcess[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding = false;
    let releaseRcpt!: () => void;
    const heldRcpt = new Promise<void>((r) => (releaseRcpt = r));
    let holdingRcpt = false;
    // The contacts whose conversations are held: the 40th and the 90th in send order (set once the campaign exists).
    let first = '';
    let second = '';

    beforeAll(async () => {
      smtp = await startSmtpSink({
        // The first contact's message arrives whole, and the server then takes its time to answer.
        holdReply: (to) => (to.includes(first) ? ((holding = true), held) : undefined),
        // The second contact's address is given, and the answer to it waits (the worker dies mid-envelope).
        holdRcpt: (address) => (address === second && !holdingRcpt ? ((holdingRcpt = true), heldRcpt) : undefined),
      });
      pg = await freshPostgres();
      env = await createTestEnv('pglite', { startQueue: true, container: { databaseUrl: pg.url } });
      media = await renderTestMedia(2);
    }, 60_000);
    afterAll(async () => {
      release?.();
      releaseRcpt?.();
      for (const c of children) c.kill('SIGKILL');
      await env?.close();
      await pg?.drop();
      await smtp?.close();
      if (media) await fs.rm(media.dir, { recursive: true, force: true });
    });

    it('after each restart no contact got two messages and none got none', async () => {
      const user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
      const { listId, tenantId } = await createList(env, 'Kill', Array.from({ length: N }, (_, i) => ({ email: `guest${i}@lead.example`, first_name: `Guest${i}` })));
      const id = (await user.post('/api/v1/campaigns', { name: 'Kill', avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hi {{first_name}}' })).body.id as string;
      await approveWithStoredVideos(env, tenantId, id, media);
      const order = await env.container.db.selectFrom('campaign_recipients').select('email').where('campaign_id', '=', id).orderBy('position').execute();
      first = order[40]!.email;
      second = order[90]!.email;
      expect((await user.post(`/api/v1/campaigns/${id}/send`, {})).status).toBe(202);
      const states = async () => {
        const rows = await env.container.db.selectFrom('campaign_recipients').select(['state', 'error_code']).where('campaign_id', '=', id).execute();
        const n = (s: string) => rows.filter((r) => r.state === s).length;
        return { sent: n('sent'), sending: n('sending'), approved: n('approved'), unconfirmed: rows.filter((r) => r.error_code === 'unconfirmed').length };
      };

      // Kill 1: while the server holds its answer to a message it has received.
      const w1 = spawnWorker(pg.url, env.dataDir, smtp.port);
      children.push(w1);
      await until(async () => holding, (h) => h, 120_000, 20);
      w1.kill('SIGKILL');
      await killed(w1);
      release();
      const atKill1 = await states();
      expect(atKill1.sent).toBeLessThan(N); // it died mid-send
      expect(atKill1.sending).toBeGreaterThan(0);

      // Restart; kill 2 while the server holds its answer to the 90th contact's address.
      const w2 = spawnWorker(pg.url, env.dataDir, smtp.port);
      children.push(w2);
      await until(async () => holdingRcpt, (h) => h, 120_000, 20);
      w2.kill('SIGKILL');
      await killed(w2);
      releaseRcpt();
      expect((await states()).sent).toBeLessThan(N);
      expect(smtp.to(second)).toHaveLength(0);

      children.push(spawnWorker(pg.url, env.dataDir, smtp.port));
      const done = await until(() => user.campaign(id), (c) => c.status === 'sent', 180_000, 200);
      expect(done.counts).toMatchObject({ sent: N, sending: 0, approved: 0, send_failed: 0 });
      await new Promise((r) => setTimeout(r, 500)); // any late duplicate would have arrived by now

      const perContact = Array.from({ length: N }, (_, i) => smtp.to(`guest${i}@lead.example`).length);
      const got = (k: number) => perContact.flatMap((n, i) => (n === k ? [`guest${i}`] : []));
      expect(got(0)).toEqual([]); // none got none
      expect(perContact.flatMap((n, i) => (n > 1 ? [`guest${i}`] : []))).toEqual([]); // none got two
      expect(smtp.received).toHaveLength(N);
      // The held message was handed over but never answered: counted as sent, not sent again (at most once).
      const r40 = await env.container.db.selectFrom('campaign_recipients').select(['state', 'error_code']).where('campaign_id', '=', id).where('email', '=', first).executeTakeFirstOrThrow();
      expect(r40).toEqual({ state: 'sent', error_code: 'unconfirmed' });
      // The one killed mid-envelope was sent again by the next worker, once.
      const r90 = await env.container.db.selectFrom('campaign_recipients').select(['state', 'error_code', 'send_attempts']).where('campaign_id', '=', id).where('email', '=', second).executeTakeFirstOrThrow();
      expect(r90).toEqual({ state: 'sent', error_code: null, send_attempts: 2 });
      const delivered = await env.container.db.selectFrom('video_recipients as vr').innerJoin('videos as v', 'v.id', 'vr.video_id').select((eb) => eb.fn.countAll<number>().as('n')).where('v.campaign_id', '=', id).where('vr.delivered_at', 'is not', null).executeTakeFirstOrThrow();
      expect(Number(delivered.n)).toBe(N);
    }, 480_000);
  });
}

/*
 * The recovery rules themselves, on every backend (in-process: PGlite cannot be shared with a second
 * process): rows a stopped attempt left in `sending` are resent when they were not handed over yet, and
 * never resent when they were.
 */
describeEachBackend('a send resumed after its worker stopped', (backend) => {
  let env: TestEnv;
  let smtp: SmtpSink;
  let media: Media;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await createTestEnv(backend, { startQueue: true, env: { MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Demo Sender <sender@demo.com>' } });
    media = await renderTestMedia(2);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
    if (media) await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('sends again what was claimed but not handed over, and marks sent (unconfirmed) what was', async () => {
    const user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
    const { listId, tenantId } = await createList(env, 'Resume', ['claimed', 'handed', 'fresh1', 'fresh2'].map((n) => ({ email: `${n}@lead.example`, first_name: n })));
    const id = (await user.post('/api/v1/campaigns', { name: 'Resume', avatar_id: DEMO.avatarId, list_id: listId, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hi {{first_name}}' })).body.id as string;
    await approveWithStoredVideos(env, tenantId, id, media);
    // A dead attempt (its job is not running) left two rows in `sending`: one before, one after the hand-over.
    const dead = '00000000-0000-4000-8000-000000000000:0';
    const mark = (email: string, committed: Date | null) =>
      env.container.db.updateTable('campaign_recipients').set({ state: 'sending', send_claim: dead, send_key: `cmp:${id}:${email}`, send_attempts: 1, send_committed_at: committed })
        .where('campaign_id', '=', id).where('email', '=', email).execute();
    await mark('claimed@lead.example', null);
    await mark('handed@lead.example', new Date());
    await env.container.campaignsRepo.transition(tenantId, id, ['review'], { status: 'sending' });

    const next = await env.container.campaignSender.run(tenantId, id, 'live-attempt:0', new AbortController().signal, Date.now() + 60_000);
    expect(next).toBeNull();
    const c = await user.campaign(id);
    expect(c).toMatchObject({ status: 'sent', counts: { sent: 4, sending: 0 } });
    expect(['claimed', 'handed', 'fresh1', 'fresh2'].map((n) => smtp.to(`${n}@lead.example`).length)).toEqual([1, 0, 1, 1]);
    const rows = await env.container.db.selectFrom('campaign_recipients').select(['email', 'state', 'error_code', 'send_attempts']).where('campaign_id', '=', id).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'claimed@lead.example', state: 'sent', error_code: null, send_attempts: 2 },
      { email: 'fresh1@lead.example', state: 'sent', error_code: null, send_attempts: 1 },
      { email: 'fresh2@lead.example', state: 'sent', error_code: null, send_attempts: 1 },
      { email: 'handed@lead.example', state: 'sent', error_code: 'unconfirmed', send_attempts: 1 },
    ]);
    // The handed-over message counts as delivered for the analytics, like the others.
    expect((await user.get(`/api/v1/campaigns/${id}/analytics`)).body).toMatchObject({ totals: { delivered: 4 } });
  }, 120_000);
});
