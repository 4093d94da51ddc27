import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink';
import { startWorker, type Worker } from '../jobs/worker';
import { renderTestMedia, type Media } from '../watch/watch.fixtures';
import { api, approveWithStoredVideos, createList, until } from './campaigns.fixtures';

describeEachBackend('sending a campaign over SMTP', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let smtp: SmtpSink;
  let media: Media;
  let user: ReturnType<typeof api>;
  let tenantId: string;
  const flaky = new Map<string, number>();

  beforeAll(async () => {
    smtp = await startSmtpSink({
      rejectDomain: 'bounce.example',
      // A greylisting server: the first attempt to flaky@ gets 451, the next one passes.
      holdRcpt: (address) => {
        if (address !== 'flaky@lead.example') return undefined;
        flaky.set(address, (flaky.get(address) ?? 0) + 1);
        return flaky.get(address) === 1 ? Promise.reject(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 })) : undefined;
      },
    });
    env = await createTestEnv(backend, {
      startQueue: true,
      env: {
        MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Demo Sender <sender@demo.com>',
        MAIL_RATE_SMTP_PER_MINUTE: '120', MAIL_RETRY_DELAY_SECONDS: '1', MAIL_DAILY_CAP: '9', JOB_RETRY_DELAY_SECONDS: '1',
      },
    });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
    user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
    media = await renderTestMedia(2);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
    await smtp?.close();
    if (media) await fs.rm(media.dir, { recursive: true, force: true });
  });

  const campaignFor = async (name: string, emails: { email: string; first_name: string }[]) => {
    const list = await createList(env, name, emails);
    tenantId = list.tenantId;
    const id = (await user.post('/api/v1/campaigns', { name, avatar_id: DEMO.avatarId, list_id: list.listId, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hi {{first_name}}' })).body.id as string;
    await approveWithStoredVideos(env, tenantId, id, media);
    return id;
  };
  const recipients = async (id: string) => (await user.get(`/api/v1/campaigns/${id}/recipients?page_size=100`)).body.items as CampaignRecipient[];

  it('throttles to the driver rate, retries a greylisted address with backoff, bounces a 550 (suppressed), and skips an address unsubscribed after approval', async () => {
    const id = await campaignFor('Outcomes', [
      { email: 'ok1@lead.example', first_name: 'Ok1' }, { email: 'ok2@lead.example', first_name: 'Ok2' }, { email: 'ok3@lead.example', first_name: 'Ok3' },
      { email: 'flaky@lead.example', first_name: 'Flaky' }, { email: 'ghost@bounce.example', first_name: 'Ghost' }, { email: 'quit@lead.example', first_name: 'Quit' },
    ]);
    // Unsubscribed after the review: the suppression list wins at send time.
    await env.container.db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'quit@lead.example', reason: 'unsubscribed' }).execute();
    const t0 = Date.now();
    await user.post(`/api/v1/campaigns/${id}/send`, {});
    const done = await until(() => user.campaign(id), (c) => c.status === 'sent', 60_000, 100);
    expect(done.counts).toMatchObject({ sent: 4, bounced: 1, skipped: 1, send_failed: 0 });
    // 120/min = 2 a second, one second's worth at once: 5 messages through SMTP take ≥ 1.5 s (2 now, 1 per 0.5 s).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    const rs = new Map((await recipients(id)).map((r) => [r.email, r]));
    expect(rs.get('flaky@lead.example')).toMatchObject({ state: 'sent', send_attempts: 2 });
    expect(flaky.get('flaky@lead.example')).toBe(2);
    expect(rs.get('ghost@bounce.example')).toMatchObject({ state: 'bounced', error_code: 'bounced' });
    expect(rs.get('ghost@bounce.example')!.error).toMatch(/550/);
    expect(rs.get('quit@lead.example')).toMatchObject({ state: 'skipped', skip_reason: 'unsubscribed' });
    expect(smtp.to('quit@lead.example')).toHaveLength(0);
    expect(smtp.to('flaky@lead.example')).toHaveLength(1);
    const suppressed = await env.container.db.selectFrom('email_suppressions').select('reason').where('tenant_id', '=', tenantId).where('email', '=', 'ghost@bounce.example').executeTakeFirst();
    expect(suppressed?.reason).toBe('bounced');
  }, 120_000);

  it('stops at the daily cap and leaves the rest approved for the next day', async () => {
    // The first test used 6 of the 9 messages of today (the bounced and greylisted attempts count too).
    const id = await campaignFor('Capped', Array.from({ length: 5 }, (_, i) => ({ email: `cap${i}@lead.example`, first_name: `Cap${i}` })));
    const used = await env.container.db.selectFrom('mail_daily_usage').select('sent').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    await user.post(`/api/v1/campaigns/${id}/send`, {});
    const left = 9 - used.sent;
    await until(async () => (await recipients(id)).filter((r) => r.state === 'sent').length, (n) => n === left, 30_000, 100);
    await new Promise((r) => setTimeout(r, 1000));
    const c = await user.campaign(id);
    expect(c).toMatchObject({ status: 'sending', counts: { sent: left, approved: 5 - left } });
    const next = await env.container.db.selectFrom('pgboss.job' as never).select(['start_after' as never]).where('name' as never, '=', 'campaign-send' as never).where('state' as never, '=', 'created' as never).execute() as { start_after: Date }[];
    const tomorrow = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1));
    expect(next.map((j) => new Date(j.start_after).getTime())).toContain(tomorrow.getTime());
  }, 60_000);

  it('exports PURLs with formula-looking cells defused and the analytics CSV with a line per recipient, variant and total', async () => {
    const id = await campaignFor('Export', [{ email: 'calc@lead.example', first_name: '=HYPERLINK("http://evil.example","x")' }, { email: 'plain@lead.example', first_name: 'Plain, "Quoted"' }]);
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const csv = await (await env.request(`/api/v1/campaigns/${id}/export.csv`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv).toContain(`calc@lead.example,"'=HYPERLINK(""http://evil.example"",""x"")",http://localhost:3000/v/`);
    expect(csv).toContain('plain@lead.example,"Plain, ""Quoted""",http://localhost:3000/v/');
    expect(csv.endsWith('\r\n')).toBe(true);
    const a = await (await env.request(`/api/v1/campaigns/${id}/analytics.csv`, { headers: { authorization: `Bearer ${token}` } })).text();
    const lines = a.trim().split('\r\n');
    expect(lines[0]).toMatch(/^email,name,variant,state,delivered_at,delivered,opens_human,opens_machine,/);
    expect(lines.filter((l) => l.startsWith('calc@') || l.startsWith('plain@'))).toHaveLength(2);
    expect(lines.at(-2)).toMatch(/^\(variant A\),,A,/);
    expect(lines.at(-1)).toMatch(/^\(total\),/);
    // Every campaign route is in the OpenAPI document.
    const doc = (await (await env.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/campaigns', '/api/v1/campaigns/{id}', '/api/v1/campaigns/{id}/render', '/api/v1/campaigns/{id}/approve', '/api/v1/campaigns/{id}/send',
      '/api/v1/campaigns/{id}/pause', '/api/v1/campaigns/{id}/resume', '/api/v1/campaigns/{id}/cancel', '/api/v1/campaigns/{id}/recipients',
      '/api/v1/campaigns/{id}/recipients/{rid}/rerender', '/api/v1/campaigns/{id}/events', '/api/v1/campaigns/{id}/export.csv', '/api/v1/campaigns/{id}/analytics',
      '/api/v1/campaigns/{id}/analytics.csv']) expect(doc.paths, p).toHaveProperty([p]);
  }, 60_000);
});
