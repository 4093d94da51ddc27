import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { createLogger } from '../logger';
import { RevocationList } from './revocations';

type Tokens = { access_token: string; refresh_token: string };

describeEachBackend('sessions: logout and admins revoke access tokens at once', (backend) => {
  let env: TestEnv;
  let admin: string;
  const login = async (email: string, password: string): Promise<Tokens> => {
    const r = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: email, password }) });
    expect(r.status).toBe(200);
    return (await r.json()) as Tokens;
  };
  const me = async (token: string) => env.request('/api/v1/auth/me', { token });
  const code = async (r: Response) => ((await r.json()) as { code: string }).code;
  const sidOf = (t: string) => (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
  const userId = async (email: string) => (await env.container.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'sam@demo.com', role: 'user', password: 'Sam12345' }) });
  });
  afterAll(() => env.close());

  it('refuses the access token with 401 session_revoked right after logout (and its refresh token)', async () => {
    const t = await login(DEMO.user.email, DEMO.user.password);
    expect((await me(t.access_token)).status).toBe(200);
    expect((await env.request('/api/v1/auth/logout', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) })).status).toBe(204);
    const after = await me(t.access_token);
    expect(after.status).toBe(401);
    expect(await code(after)).toBe('session_revoked');
    expect((await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) })).status).toBe(401);
  });

  it('logs out with the bearer token alone, ending only that session', async () => {
    const a = await login(DEMO.user.email, DEMO.user.password);
    const b = await login(DEMO.user.email, DEMO.user.password);
    expect((await env.request('/api/v1/auth/logout', { method: 'POST', token: a.access_token })).status).toBe(204);
    expect((await me(a.access_token)).status).toBe(401);
    expect((await me(b.access_token)).status).toBe(200);
    const none = await env.request('/api/v1/auth/logout', { method: 'POST', ...jsonBody({}) });
    expect(none.status).toBe(422);
  });

  it('keeps the session through refresh: the new access token names the same sid and dies with it', async () => {
    const t = await login(DEMO.user.email, DEMO.user.password);
    const r = (await (await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) })).json()) as Tokens;
    expect(sidOf(r.access_token)).toBe(sidOf(t.access_token));
    expect((await me(r.access_token)).status).toBe(200);
    await env.request('/api/v1/auth/logout', { method: 'POST', ...jsonBody({ refresh_token: r.refresh_token }) });
    expect((await me(t.access_token)).status).toBe(401);
    expect((await me(r.access_token)).status).toBe(401);
  });

  it('ends every session of a user on admin sign-out-everywhere, lists sessions, and lets them sign in again', async () => {
    const id = await userId('sam@demo.com');
    const a = await login('sam@demo.com', 'Sam12345');
    const b = await login('sam@demo.com', 'Sam12345');
    const listed = (await (await env.request(`/api/v1/users/${id}/sessions`, { token: admin })).json()) as { items: { id: string }[] };
    expect(listed.items.map((s) => s.id)).toEqual(expect.arrayContaining([sidOf(a.access_token), sidOf(b.access_token)]));
    const res = await env.request(`/api/v1/users/${id}/sign-out-everywhere`, { method: 'POST', token: admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sessions_ended: number }).sessions_ended).toBeGreaterThanOrEqual(2);
    for (const t of [a, b]) {
      expect((await me(t.access_token)).status).toBe(401);
      expect((await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) })).status).toBe(401);
    }
    expect(((await (await env.request(`/api/v1/users/${id}/sessions`, { token: admin })).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await me((await login('sam@demo.com', 'Sam12345')).access_token)).status).toBe(200);
    // Only admins may.
    const user = await login(DEMO.user.email, DEMO.user.password);
    expect((await env.request(`/api/v1/users/${id}/sign-out-everywhere`, { method: 'POST', token: user.access_token })).status).toBe(403);
  });

  it('refuses a deactivated user\'s access token at once, and a demoted user\'s old token', async () => {
    const id = await userId('sam@demo.com');
    const t = await login('sam@demo.com', 'Sam12345');
    expect((await env.request(`/api/v1/users/${id}`, { method: 'PATCH', token: admin, ...jsonBody({ role: 'viewer' }) })).status).toBe(200);
    expect((await me(t.access_token)).status).toBe(401);
    const v = await login('sam@demo.com', 'Sam12345');
    expect((await me(v.access_token)).status).toBe(200);
    expect((await env.request(`/api/v1/users/${id}`, { method: 'DELETE', token: admin })).status).toBe(200);
    const after = await me(v.access_token);
    expect(after.status).toBe(401);
    expect(await code(after)).toBe('session_revoked');
    expect((await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: v.refresh_token }) })).status).toBe(401);
  });

  it('tells another API process within its poll interval (the revocation goes through the database)', async () => {
    const t = await login(DEMO.user.email, DEMO.user.password);
    const sid = sidOf(t.access_token);
    const other = new RevocationList(env.container.sessions, 1_800_000, createLogger('silent'), 50);
    expect(await other.isRevoked(sid)).toBe(false);
    await env.request('/api/v1/auth/logout', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) });
    await new Promise((r) => setTimeout(r, 60));
    expect(await other.isRevoked(sid)).toBe(true);
  });

  it('changes the password: the old one stops working, other sessions end, this one stays', async () => {
    const here = await login(DEMO.user.email, DEMO.user.password);
    const elsewhere = await login(DEMO.user.email, DEMO.user.password);
    const wrong = await env.request('/api/v1/auth/password', { method: 'POST', token: here.access_token, ...jsonBody({ current_password: 'nope', new_password: 'N3wPassword' }) });
    expect(wrong.status).toBe(422);
    const weak = await env.request('/api/v1/auth/password', { method: 'POST', token: here.access_token, ...jsonBody({ current_password: DEMO.user.password, new_password: 'short' }) });
    expect(await code(weak)).toBe('weak_password');
    const ok = await env.request('/api/v1/auth/password', { method: 'POST', token: here.access_token, ...jsonBody({ current_password: DEMO.user.password, new_password: 'N3wPassword' }) });
    expect(ok.status).toBe(204);
    expect((await me(here.access_token)).status).toBe(200);
    expect((await me(elsewhere.access_token)).status).toBe(401);
    expect((await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.user.email, password: DEMO.user.password }) })).status).toBe(401);
    await login(DEMO.user.email, 'N3wPassword');
  });
});
