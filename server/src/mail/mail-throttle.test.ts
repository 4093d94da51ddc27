import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, type TestEnv } from '../../test/harness';
import { MailThrottle } from './mail-throttle';
import { MailThrottleRepository } from './mail-throttle.repository';

describeEachBackend('mail throttle', (backend) => {
  let env: TestEnv;
  let tenantId: string;
  let now = new Date('2026-11-30T23:59:50Z');
  const clock = () => now;
  const at = (isoOrMs: string | number) => (now = typeof isoOrMs === 'number' ? new Date(now.getTime() + isoOrMs) : new Date(isoOrMs));

  beforeAll(async () => {
    env = await createTestEnv(backend);
    tenantId = (await env.container.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => env.close());

  it('grants one second of the per-minute rate at once, refills continuously, and two workers share one bucket', async () => {
    const repo = new MailThrottleRepository(env.container.db);
    const a = new MailThrottle(repo, 'smtp', { perMinute: 600, dailyCap: 0 }, clock);
    const b = new MailThrottle(repo, 'smtp', { perMinute: 600, dailyCap: 0 }, clock);
    at('2026-11-30T10:00:00Z');
    expect(await a.acquire(tenantId, 25)).toEqual({ granted: 10, reason: null }); // burst = 600/60 = 10
    const empty = await b.acquire(tenantId, 5);
    expect(empty).toMatchObject({ granted: 0, reason: 'rate' });
    expect((empty as { waitMs: number }).waitMs).toBe(100); // one token every 100 ms
    at(550);
    expect(await b.acquire(tenantId, 25)).toEqual({ granted: 5, reason: null }); // 5.5 tokens: 5 whole ones
    at(60_000);
    expect(await a.acquire(tenantId, 25)).toEqual({ granted: 10, reason: null }); // never more than the burst
    await a.release(tenantId, 4);
    expect(await b.acquire(tenantId, 25)).toEqual({ granted: 4, reason: null });
    // Another driver has its own bucket.
    const other = new MailThrottle(repo, 'sendgrid', { perMinute: 60, dailyCap: 0 }, clock);
    expect(await other.acquire(tenantId, 5)).toEqual({ granted: 1, reason: null });
  });

  it('stops at the daily cap per tenant until the next UTC day', async () => {
    const repo = new MailThrottleRepository(env.container.db);
    const t = new MailThrottle(repo, 'outbox', { perMinute: 60_000, dailyCap: 12 }, clock);
    at('2026-11-30T23:59:50Z');
    expect(await t.acquire(tenantId, 10)).toEqual({ granted: 10, reason: null });
    expect(await t.acquire(tenantId, 10)).toEqual({ granted: 2, reason: null });
    expect(await t.acquire(tenantId, 10)).toEqual({ granted: 0, reason: 'daily_cap', resumeAt: new Date('2026-12-01T00:00:00Z') });
    await t.release(tenantId, 2); // two claimed but not sent: they do not count
    expect(await repo.usedToday(tenantId, '2026-11-30')).toBe(10);
    at('2026-12-01T00:00:01Z');
    expect(await t.acquire(tenantId, 20)).toEqual({ granted: 12, reason: null });
  });
});
