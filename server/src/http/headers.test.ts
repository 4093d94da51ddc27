import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './env';
import { cors, securityHeaders } from './headers';

describe('security headers and CORS', () => {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders(() => ({ 'X-Request-Id': 'req-1' })));
  app.use('/api/*', cors({ origins: ['https://outlook.example'], exposeHeaders: ['X-Request-Id'], maxAgeSec: 600 }));
  app.get('/api/json', (c) => c.json({ ok: true }));
  app.get('/api/raw', () => new Response('raw body', { headers: { 'content-type': 'text/plain', 'Referrer-Policy': 'origin' } }));
  app.get('/api/redirect', () => Response.redirect('https://example.com/', 302));
  app.get('/page', (c) => c.html('<p>hi</p>'));

  const SECURITY = ['x-content-type-options', 'referrer-policy', 'strict-transport-security', 'cross-origin-opener-policy', 'x-request-id'];

  it('puts the security headers and the request id on JSON, HTML, handler-built and frozen (redirect) responses', async () => {
    for (const path of ['/api/json', '/api/raw', '/api/redirect', '/page']) {
      const res = await app.request(path);
      for (const h of SECURITY) expect(res.headers.get(h), `${path} ${h}`).not.toBeNull();
      expect(res.headers.get('x-frame-options'), path).toBeNull(); // the Outlook task pane frames us
    }
    expect((await app.request('/api/json')).headers.get('x-content-type-options')).toBe('nosniff');
    expect(await (await app.request('/api/raw')).text()).toBe('raw body');
    expect((await app.request('/api/redirect')).headers.get('location')).toBe('https://example.com/');
  });

  it('keeps a header the handler set itself', async () => {
    expect((await app.request('/api/raw')).headers.get('referrer-policy')).toBe('origin');
  });

  it('echoes an allowed origin, never a foreign one, and exposes X-Request-Id', async () => {
    const ok = await app.request('/api/json', { headers: { origin: 'https://outlook.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://outlook.example');
    expect(ok.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
    expect(ok.headers.get('vary')).toContain('Origin');
    const foreign = await app.request('/api/json', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await app.request('/page', { headers: { origin: 'https://outlook.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight with 204, the methods, the requested headers and a max-age', async () => {
    const res = await app.request('/api/json', {
      method: 'OPTIONS',
      headers: { origin: 'https://outlook.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://outlook.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
