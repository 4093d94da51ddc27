import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness';

describe('API docs and health', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('pglite', { startQueue: true });
  });
  afterAll(() => env.close());

  it('serves an OpenAPI 3.1 document whose oauth2 password flow points at the login route', async () => {
    const res = await env.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: { bearer: { type: string; flows: { password: { tokenUrl: string } } } } };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer.flows.password.tokenUrl).toBe('/api/v1/auth/login');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/users']));
  });

  it('serves Swagger UI and ReDoc from our own assets (no CDN)', async () => {
    const docs = await (await env.request('/docs')).text();
    expect(docs).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(docs).not.toMatch(/https?:\/\/(cdn|unpkg)/);
    const js = await env.request('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
    const redoc = await env.request('/redoc');
    expect(await redoc.text()).toContain('/redoc/redoc.standalone.js');
    expect((await env.request('/redoc/redoc.standalone.js')).status).toBe(200);
  });

  it('reports liveness and readiness of database, storage and queue', async () => {
    expect((await env.request('/healthz')).status).toBe(200);
    const ready = await env.request('/readyz');
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.checks).toEqual({ database: 'ok', storage: 'ok', queue: 'ok' });
    expect(ready.status).toBe(200);
  });

  it('answers unknown routes with the one error shape and a request id', async () => {
    const res = await env.request('/api/v1/nope');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { code: string; requestId: string };
    expect(body.code).toBe('not_found');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('security headers', () => {
  it('lets the add-in sign-in popup talk back (COOP same-origin-allow-popups) and sniffing is off', async () => {
    const env = await createTestEnv('pglite', { seed: false });
    try {
      const res = await env.request('/healthz');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await env.close();
    }
  });
});
