import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';

type Entry = { id: number; action: string; user_id: string | null; user_email: string | null; target_type: string | null; target_id: string | null; details: Record<string, unknown> | null; ip_hash: string | null; created_at: string };
type Page = { items: Entry[]; total: number; page: number; page_size: number };

describeEachBackend('audit log', (backend) => {
  let env: TestEnv;
  let admin: string;
  let otherAdmin: string;
  let invitedId: string;
  let webhookSecret: string;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const audit = async (query = '', token = admin) => {
    const r = await env.request(`/api/v1/audit${query}`, { token });
    expect(r.status).toBe(200);
    return (await r.json()) as Page;
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { TRUST_PROXY: 'true' } });
    // Sensitive actions, from known addresses.
    await env.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...from('203.0.113.5') }, body: JSON.stringify({ username: DEMO.user.email, password: 'wrong' }) });
    const ok = await env.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...from('203.0.113.6') }, body: JSON.stringify({ username: DEMO.admin.email, password: DEMO.admin.password }) });
    admin = ((await ok.json()) as { access_token: string }).access_token;
    const write = (path: string, method: string, body?: unknown) =>
      env.request(path, { method, token: admin, headers: { 'content-type': 'application/json', ...from('203.0.113.6') }, ...(body ? { body: JSON.stringify(body) } : {}) });
    invitedId = ((await (await write('/api/v1/users', 'POST', { email: 'new@demo.com', role: 'viewer', password: 'N3wcomer1' })).json()) as { id: string }).id;
    await write(`/api/v1/users/${invitedId}`, 'PATCH', { role: 'user' });
    await write(`/api/v1/users/${invitedId}/sign-out-everywhere`, 'POST');
    await write(`/api/v1/users/${invitedId}`, 'DELETE');
    const hook = (await (await write('/api/v1/webhooks', 'POST', { url: 'https://hooks.example.com/a', events: ['video.completed'] })).json()) as { id: string; secret: string };
    webhookSecret = hook.secret;
    await write(`/api/v1/webhooks/${hook.id}`, 'DELETE');
    await write(`/api/v1/avatars/${DEMO.avatarId}/consent`, 'POST', { statement: 'I am the person in this photo and I agree to its use for AI video.' });
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', tenant_domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }) });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(() => env.close());

  it('records who did what, when and from which hashed address, newest first', async () => {
    const page = await audit('?page_size=100');
    const actions = page.items.map((e) => e.action);
    for (const a of ['auth.login_failed', 'auth.login', 'user.invited', 'user.role_changed', 'user.signed_out_everywhere', 'user.deactivated', 'webhook.created', 'webhook.deleted']) {
      expect(actions, a).toContain(a);
    }
    expect(page.items.map((e) => e.id)).toEqual([...page.items.map((e) => e.id)].sort((x, y) => y - x));
    const role = page.items.find((e) => e.action === 'user.role_changed')!;
    expect(role).toMatchObject({ user_email: DEMO.admin.email, target_type: 'user', target_id: invitedId, details: { from: 'viewer', to: 'user' } });
    expect(role.ip_hash).toMatch(/^[\w-]{22}$/);
    expect(Date.parse(role.created_at)).toBeGreaterThan(Date.now() - 600_000);
    // The same address hashes the same; the address itself is nowhere.
    const failed = page.items.find((e) => e.action === 'auth.login_failed')!;
    expect(failed.user_email).toBe(DEMO.user.email);
    expect(failed.ip_hash).not.toBe(role.ip_hash);
    expect(page.items.find((e) => e.action === 'auth.login')!.ip_hash).toBe(role.ip_hash);
    const text = JSON.stringify(page);
    expect(text).not.toContain('203.0.113');
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain('N3wcomer1');
  });

  it('filters by action (exact or prefix*) and by user, and pages', async () => {
    const logins = await audit('?action=auth.login');
    expect(logins.items.every((e) => e.action === 'auth.login')).toBe(true);
    const auth = await audit('?action=auth.*&page_size=100');
    expect(new Set(auth.items.map((e) => e.action))).toEqual(new Set(['auth.login', 'auth.login_failed']));
    const adminId = (await env.container.db.selectFrom('users').select('id').where('email', '=', DEMO.admin.email).executeTakeFirstOrThrow()).id;
    const byAdmin = await audit(`?user_id=${adminId}&page_size=100`);
    expect(byAdmin.items.length).toBeGreaterThan(5);
    expect(byAdmin.items.every((e) => e.user_id === adminId)).toBe(true);
    const p1 = await audit('?page=1&page_size=2');
    const p2 = await audit('?page=2&page_size=2');
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBe(p2.total);
    expect(p2.items[0]!.id).toBeLessThan(p1.items[1]!.id);
    expect((await env.request('/api/v1/audit?action=DROP%20TABLE', { token: admin })).status).toBe(422);
  });

  it('is for admins of the workspace only', async () => {
    const user = await env.login(DEMO.user.email, DEMO.user.password);
    expect((await env.request('/api/v1/audit', { token: user })).status).toBe(403);
    expect((await env.request('/api/v1/audit')).status).toBe(401);
    const other = await audit('?page_size=100', otherAdmin);
    expect(other.items.map((e) => e.action)).toEqual(['tenant.registered']);
  });
});
