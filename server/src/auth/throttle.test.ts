import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { AppError } from '../errors';
import { PasswordHasher } from './password';

type Answer = { status: number; retryAfter: string | null; body: { code?: string; message?: string; details?: { retry_after_seconds?: number; locked?: boolean } } };

describeEachBackend('login throttling', (backend) => {
  let env: TestEnv;
  // The throttle's clock: tests move it forward instead of waiting out delays and locks.
  let now = Date.now();
  const clock = () => now;
  const advance = (seconds: number) => (now += seconds * 1000);

  const login = async (email: string, password: string, ip: string): Promise<Answer> => {
    const r = await env.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username: email, password }) });
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Answer['body'] };
  };
  const auditCount = async (action: string) =>
    Number((await env.container.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { TRUST_PROXY: 'true' }, container: { now: clock } });
  });
  afterAll(() => env.close());

  it('answers 429 too_many_attempts with Retry-After after a few wrong passwords in a row, without checking the password', async () => {
    const ip = '203.0.113.1';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(DEMO.user.email, `wrong-${i}`, ip)).status);
    // 3 free failures, the 4th makes the next attempt wait a second: 50 in a row can no longer all be tried.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const r = await login(DEMO.user.email, DEMO.user.password, ip);
    expect(r).toMatchObject({ status: 429, retryAfter: '1', body: { code: 'too_many_attempts', details: { retry_after_seconds: 1, locked: false } } });
    expect(r.body.message).toMatch(/wait 1 s/);
    // Only the 4 checked attempts cost a bcrypt and an audit row.
    expect(await auditCount('auth.login_failed')).toBe(4);
    advance(2);
    expect((await login(DEMO.user.email, DEMO.user.password, ip)).status).toBe(200);
  });

  it('locks an account after 10 failures from any address; the right password is refused until an admin lifts it', async () => {
    const adminToken = await env.login(DEMO.admin.email, DEMO.admin.password);
    const user = (await env.container.db.selectFrom('users').select('id').where('email', '=', DEMO.user.email).executeTakeFirstOrThrow()).id;
    let failures = 0;
    for (let i = 0; failures < 10; i++) {
      const r = await login(DEMO.user.email, 'wrong', `198.51.100.${i}`);
      if (r.status === 429) advance(Number(r.retryAfter));
      else {
        expect(r.status).toBe(401);
        failures++;
      }
    }
    const locked = await login(DEMO.user.email, DEMO.user.password, '192.0.2.200');
    expect(locked).toMatchObject({ status: 429, body: { code: 'too_many_attempts', details: { locked: true } } });
    expect(Number(locked.retryAfter)).toBeGreaterThan(800);
    expect(locked.body.message).toMatch(/locked for 15 min/);
    expect(await auditCount('auth.locked')).toBe(1);
    const shown = (await (await env.request(`/api/v1/users/${user}`, { token: adminToken })).json()) as { locked_until: string | null };
    expect(new Date(shown.locked_until!).getTime()).toBeGreaterThan(now);

    expect((await env.request(`/api/v1/users/${user}/lockout`, { method: 'DELETE', token: adminToken })).status).toBe(204);
    expect(await auditCount('user.lockout_lifted')).toBeGreaterThanOrEqual(1);
    expect((await login(DEMO.user.email, DEMO.user.password, '192.0.2.200')).status).toBe(200);
    expect(((await (await env.request(`/api/v1/users/${user}`, { token: adminToken })).json()) as { locked_until: string | null }).locked_until).toBeNull();
  });

  it('locks a client address after 60 failed logins across accounts: 429 with Retry-After, the right password refused, until the lock ends by itself', async () => {
    const ip = '203.0.113.99';
    let failed = 0;
    let throttled = 0;
    let last: Answer | undefined;
    for (let i = 0; i < 60; i++) {
      // Spraying one password over many accounts: no account reaches its own limit.
      last = await login(`person${i}@demo.com`, 'Summer2026!', ip);
      if (last.status === 429) {
        throttled++;
        expect(last.body.code).toBe('too_many_attempts');
        expect(Number(last.retryAfter)).toBeGreaterThan(0);
        if (last.body.details?.locked) break;
        advance(Number(last.retryAfter));
        i--;
      } else {
        expect(last.status).toBe(401);
        failed++;
      }
    }
    expect(failed).toBe(50);
    expect(throttled).toBeGreaterThan(0);
    expect(last).toMatchObject({ status: 429, body: { details: { locked: true } } });
    expect(Number(last!.retryAfter)).toBeGreaterThan(800);
    // The right password from that address is refused while it is locked; from elsewhere it works.
    expect((await login(DEMO.admin.email, DEMO.admin.password, ip)).status).toBe(429);
    expect((await login(DEMO.admin.email, DEMO.admin.password, '192.0.2.1')).status).toBe(200);
    advance(15 * 60 + 1);
    expect((await login(DEMO.admin.email, DEMO.admin.password, ip)).status).toBe(200);
  });

  it('throttles refresh-token guessing and registrations from one address the same way', async () => {
    const ip = '203.0.113.150';
    const refresh = () =>
      env.request('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ refresh_token: 'guess' }) });
    const codes: number[] = [];
    for (let i = 0; i < 23; i++) codes.push((await refresh()).status);
    expect(codes.slice(0, 21).every((s) => s === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);

    const reg = (n: number) =>
      env.request('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.151' },
        body: JSON.stringify({ tenant_name: `T${n}`, tenant_domain: `t${n}.example`, email: `o@t${n}.example`, password: 'Str0ngPass' }),
      });
    const regs: number[] = [];
    for (let i = 0; i < 8; i++) regs.push((await reg(i)).status);
    expect(regs.slice(0, 6)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(regs.at(-1)).toBe(429);
  });
});

describe('bcrypt pool', () => {
  it('runs at most BCRYPT_CONCURRENCY hashes at once, off the main thread, with correct answers', async () => {
    for (const concurrency of [1, 2]) {
      const h = new PasswordHasher(4, concurrency);
      try {
        const hash = await h.hash('Secret123');
        const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => h.verify(i % 2 ? 'Secret123' : 'wrong', hash)));
        expect(answers).toEqual([false, true, false, true, false, true, false, true]);
        expect(h.peakConcurrency).toBe(concurrency);
      } finally {
        await h.close();
      }
    }
  });

  it('refuses work beyond its queue with 503 server_busy instead of piling up', async () => {
    const h = new PasswordHasher(4, 1);
    try {
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => h.hash('x')));
      const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.code === 'server_busy');
      expect(busy).toHaveLength(7);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(33);
    } finally {
      await h.close();
    }
  });
});
