import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';

describeEachBackend('auth', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(backend);
  });
  afterAll(() => env.close());

  const register = (body: Record<string, unknown>) =>
    env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody(body) });

  it('registers a tenant with its first user as admin and returns working tokens', async () => {
    const res = await register({ tenant_name: 'Acme', domain: 'acme.example', email: 'Owner@Acme.example', password: 'Str0ngPass' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { role: string; email: string }; tokens: { access_token: string } };
    expect(body.user.role).toBe('admin');
    expect(body.user.email).toBe('owner@acme.example');
    const me = await env.request('/api/v1/auth/me', { token: body.tokens.access_token });
    expect(me.status).toBe(200);
  });

  it("registers with the seed's body {email, password, full_name, tenant_name, tenant_domain}, documented in OpenAPI with the domain alias", async () => {
    const res = await register({ email: 'owner@seed.example', password: 'Str0ngPass', full_name: 'Seed Owner', tenant_name: 'Seed Co', tenant_domain: 'seed.example' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { tenant: { domain: string } }).tenant.domain).toBe('seed.example');
    const doc = (await (await env.request('/openapi.json')).json()) as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    expect(Object.keys(doc.components.schemas.RegisterRequest!.properties)).toEqual(expect.arrayContaining(['tenant_domain', 'domain']));
    const none = await register({ email: 'x@none.example', password: 'Str0ngPass', tenant_name: 'None' });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { message: string }).message).toMatch(/tenant_domain/);
    const both = await register({ email: 'x@both.example', password: 'Str0ngPass', tenant_name: 'Both', tenant_domain: 'a.example', domain: 'b.example' });
    expect(both.status).toBe(422);
  });

  it('refuses a weak password with 422 weak_password naming the rules broken', async () => {
    const res = await register({ tenant_name: 'B', domain: 'b.example', email: 'x@b.example', password: 'alllowercase' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; message: string; details: { rules: string[] } };
    expect(body.code).toBe('weak_password');
    expect(body.details.rules.sort()).toEqual(['digit', 'uppercase']);
    expect(body.message).toMatch(/uppercase/);
  });

  it('refuses a malformed domain with 422 invalid_domain', async () => {
    const res = await register({ tenant_name: 'C', domain: 'not a domain', email: 'x@c.example', password: 'Str0ngPass' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_domain');
  });

  it('refuses a duplicate email with 409 email_taken', async () => {
    const res = await register({ tenant_name: 'D', domain: 'd.example', email: DEMO.admin.email, password: 'Str0ngPass' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('email_taken');
  });

  it('logs in with the OAuth2 form and with JSON; the JWT carries sub, tenant_id, role, sid, iat, exp', async () => {
    const form = await env.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=admin%40demo.com&password=admin123',
    });
    expect(form.status).toBe(200);
    const t = (await form.json()) as { access_token: string; token_type: string; expires_in: number; refresh_token: string };
    expect(t.token_type).toBe('bearer');
    expect(t.expires_in).toBe(1800);
    expect(t.refresh_token.length).toBeGreaterThan(20);
    const claims = JSON.parse(Buffer.from(t.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'role', 'sid', 'sub', 'tenant_id']);
    expect(claims.role).toBe('admin');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1800);

    const json = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.user.email, password: DEMO.user.password }) });
    expect(json.status).toBe(200);
  });

  it('answers 401 invalid_credentials for a wrong password', async () => {
    const res = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.user.email, password: 'nope' }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_credentials');
  });

  it('rotates refresh tokens, and reusing a spent one revokes the whole family', async () => {
    const login = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.user.email, password: DEMO.user.password }) });
    const first = (await login.json()) as { refresh_token: string };
    const r1 = await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: first.refresh_token }) });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const reuse = await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: first.refresh_token }) });
    expect(reuse.status).toBe(401);
    expect(((await reuse.json()) as { code: string }).code).toBe('token_reused');
    // The legitimate newer token died with the family.
    const after = await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: second.refresh_token }) });
    expect(after.status).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const login = await env.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.user.email, password: DEMO.user.password }) });
    const t = (await login.json()) as { refresh_token: string };
    expect((await env.request('/api/v1/auth/logout', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) })).status).toBe(204);
    const r = await env.request('/api/v1/auth/refresh', { method: 'POST', ...jsonBody({ refresh_token: t.refresh_token }) });
    expect(r.status).toBe(401);
  });

  it('answers 401 without a token and for a forged one', async () => {
    expect((await env.request('/api/v1/auth/me')).status).toBe(401);
    expect((await env.request('/api/v1/auth/me', { token: 'a.b.c' })).status).toBe(401);
  });
});
