import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';

describeEachBackend('users', (backend) => {
  let env: TestEnv;
  let admin: string;
  let user: string;
  let otherAdmin: string;
  let otherUserId: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    const body = (await reg.json()) as { user: { id: string }; tokens: { access_token: string } };
    otherAdmin = body.tokens.access_token;
    otherUserId = body.user.id;
  });
  afterAll(() => env.close());

  it('lets an admin list only their own tenant users', async () => {
    const res = await env.request('/api/v1/users?page=1&page_size=50', { token: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { email: string }[]; total: number };
    expect(body.items.map((u) => u.email).sort()).toEqual([DEMO.admin.email, DEMO.user.email]);
    expect(body.total).toBe(2);
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('invites a user with a valid password, refuses a weak one with 422 and a duplicate with 409', async () => {
    const ok = await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'viewer@demo.com', role: 'viewer', password: 'Vi3wer1234' }) });
    expect(ok.status).toBe(201);
    const weak = await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'w@demo.com', password: 'short' }) });
    expect(weak.status).toBe(422);
    const dup = await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: DEMO.user.email, password: 'Vi3wer1234' }) });
    expect(dup.status).toBe(409);
    // The invited viewer can sign in.
    expect(await env.login('viewer@demo.com', 'Vi3wer1234')).toBeTruthy();
  });

  it('answers 403 on every users route for a non-admin role', async () => {
    const viewer = await env.login('viewer@demo.com', 'Vi3wer1234');
    const me = (await (await env.request('/api/v1/auth/me', { token: user })).json()) as { user: { id: string } };
    for (const token of [user, viewer]) {
      expect((await env.request('/api/v1/users', { token })).status).toBe(403);
      expect((await env.request(`/api/v1/users/${me.user.id}`, { token })).status).toBe(403);
      expect((await env.request('/api/v1/users', { method: 'POST', token, ...jsonBody({ email: 'z@demo.com', password: 'Abcdefg123' }) })).status).toBe(403);
      expect((await env.request(`/api/v1/users/${me.user.id}`, { method: 'PATCH', token, ...jsonBody({ role: 'admin' }) })).status).toBe(403);
      expect((await env.request(`/api/v1/users/${me.user.id}`, { method: 'DELETE', token })).status).toBe(403);
    }
  });

  it("answers 404 for another tenant's user on every users route, never their data", async () => {
    for (const [method, body] of [['GET'], ['PATCH', { role: 'viewer' }], ['DELETE']] as const) {
      const res = await env.request(`/api/v1/users/${otherUserId}`, { method, token: admin, ...(body ? jsonBody(body) : {}) });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('boss@other.example');
    }
    const list = (await (await env.request('/api/v1/users', { token: otherAdmin })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('changes a role, deactivates a user (who can then not sign in), and protects the last admin', async () => {
    const list = (await (await env.request('/api/v1/users?page_size=100', { token: admin })).json()) as { items: { id: string; email: string }[] };
    const viewer = list.items.find((u) => u.email === 'viewer@demo.com')!;
    const adminRow = list.items.find((u) => u.email === DEMO.admin.email)!;
    const promote = await env.request(`/api/v1/users/${viewer.id}`, { method: 'PATCH', token: admin, ...jsonBody({ role: 'user' }) });
    expect(((await promote.json()) as { role: string }).role).toBe('user');
    const off = await env.request(`/api/v1/users/${viewer.id}`, { method: 'DELETE', token: admin });
    expect(((await off.json()) as { is_active: boolean }).is_active).toBe(false);
    const login = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: 'viewer@demo.com', password: 'Vi3wer1234' }) });
    expect(login.status).toBe(403);
    const demote = await env.request(`/api/v1/users/${adminRow.id}`, { method: 'PATCH', token: admin, ...jsonBody({ role: 'user' }) });
    expect(demote.status).toBe(409);
  });

  it('answers 422 with a code for a malformed id', async () => {
    const res = await env.request('/api/v1/users/not-a-uuid', { token: admin });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
  });
});
