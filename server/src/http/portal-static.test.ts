import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { router } from './app-factory';
import { securityHeaders } from './headers';
import { mountPortal, portalCsp } from './portal-static';

let dist: string;
const app = router();
const config = { PUBLIC_URL: 'https://video.example.com', S3_ENDPOINT: undefined, S3_PORT: undefined, S3_USE_SSL: false, S3_PUBLIC_URL: undefined, ENTRA_CLIENT_ID: undefined, ENTRA_ISSUER: undefined };

beforeAll(async () => {
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-portal-dist-'));
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>portal</title>');
  await fs.writeFile(path.join(dist, 'main.0123456789.js'), 'console.log(1)');
  await fs.writeFile(path.join(dist, 'build-size.json'), '{}');
  await fs.writeFile(path.join(path.dirname(dist), 'portal-secret.txt'), 'outside');
  app.use('*', securityHeaders());
  mountPortal(app, config, dist);
});
afterAll(async () => {
  await fs.rm(dist, { recursive: true, force: true });
  await fs.rm(path.join(path.dirname(dist), 'portal-secret.txt'), { force: true });
});

describe('built portal served at /portal/', () => {
  it('answers index.html for the root and for every client route (deep links, reloads), revalidated', async () => {
    for (const p of ['/portal/', '/portal/videos', '/portal/videos/3f2c1d9e-1111-4222-8333-944455556666', '/portal/settings/webhooks']) {
      const res = await app.request(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>portal</title>');
    }
    expect((await app.request('/portal')).headers.get('location')).toBe('/portal/');
  });

  it('caches hashed bundles for a year and revalidates the rest', async () => {
    const js = await app.request('/portal/main.0123456789.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/portal/build-size.json')).headers.get('cache-control')).toBe('no-cache');
  });

  it('sends the CSP, no framing and the common security headers on pages and files', async () => {
    for (const p of ['/portal/', '/portal/main.0123456789.js']) {
      const res = await app.request(p);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers 404 for a missing asset (never HTML as script) and for paths outside the bundle', async () => {
    expect((await app.request('/portal/old-chunk.abcdef0123.js')).status).toBe(404);
    expect((await app.request('/portal/..%2Fportal-secret.txt')).status).toBe(404);
    expect((await app.request('/portal/%E0%A4%A')).status).toBe(404);
  });

  it('says how to build the portal when it has not been built', async () => {
    const bare = router();
    mountPortal(bare, config, path.join(dist, 'missing'));
    const res = await bare.request('/portal/');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });

  it('lets the page load images and media from S3 and talk to Microsoft sign-in only when those are configured', () => {
    expect(portalCsp(config)).toContain("img-src 'self' data: blob: https://video.example.com;");
    const csp = portalCsp({ ...config, S3_ENDPOINT: 'minio', S3_PORT: 9000, S3_PUBLIC_URL: 'https://files.example.com', ENTRA_CLIENT_ID: 'abc' });
    expect(csp).toContain("img-src 'self' data: blob: https://video.example.com https://files.example.com;");
    expect(csp).toContain("media-src 'self' blob: https://video.example.com https://files.example.com;");
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.com;");
    expect(portalCsp({ ...config, S3_ENDPOINT: 'minio', S3_PORT: 9000 })).toContain('http://minio:9000');
  });
});
