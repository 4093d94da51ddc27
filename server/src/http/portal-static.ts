import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from './env';

/** Where `npm run build` writes the portal (portal/dist at the repository root). */
export const DEFAULT_PORTAL_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../portal/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const origin = (u: string | undefined) => {
  try {
    return u ? new URL(u).origin : null;
  } catch {
    return null;
  }
};

/**
 * The portal's Content-Security-Policy: scripts only from our origin (no inline script, no eval); inline styles
 * allowed because Fluent UI (Griffel) inserts its atomic CSS at run time; images and media also from PUBLIC_URL and from
 * object storage when files are served from S3 (signed URLs); Microsoft's sign-in endpoints when Entra is configured.
 */
export function portalCsp(config: Pick<Config, 'PUBLIC_URL' | 'S3_ENDPOINT' | 'S3_PORT' | 'S3_USE_SSL' | 'S3_PUBLIC_URL' | 'ENTRA_CLIENT_ID' | 'ENTRA_ISSUER'>): string {
  // Signed file links are absolute on PUBLIC_URL, which may differ from the address the portal was opened at.
  const files: string[] = [origin(config.PUBLIC_URL)].filter((o): o is string => !!o);
  if (config.S3_ENDPOINT) {
    const s3 = origin(config.S3_PUBLIC_URL) ?? origin(`${config.S3_USE_SSL ? 'https' : 'http'}://${config.S3_ENDPOINT}${config.S3_PORT ? `:${config.S3_PORT}` : ''}`);
    if (s3) files.push(s3);
  }
  const entra = config.ENTRA_CLIENT_ID ? ['https://login.microsoftonline.com', origin(config.ENTRA_ISSUER)].filter((o): o is string => !!o) : [];
  const list = (...xs: string[]) => [...new Set(xs)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${list("'self'", 'data:', 'blob:', ...files)}`,
    `media-src ${list("'self'", 'blob:', ...files)}`,
    `connect-src ${list("'self'", ...entra)}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(entra.length ? [`frame-src ${list(...entra)}`] : []),
  ].join('; ');
}

/** A content-hashed bundle file (webpack's [name].[contenthash:10].js): safe to cache for a year. */
const HASHED = /\.[0-9a-f]{8,}\.(js|css|woff2)$/;

/**
 * Serves the built portal at /portal/: files from portal/dist (hashed ones cached for a year), and index.html
 * (revalidated) for every client route such as /portal/videos/123, so deep links and reloads work. Every answer
 * carries the portal's CSP and is not framable. Without a build, /portal/ says how to make one.
 */
export function mountPortal(app: Hono<AppEnv>, config: Parameters<typeof portalCsp>[0], distDir = DEFAULT_PORTAL_DIST): void {
  const root = path.resolve(distDir);
  const csp = portalCsp(config);
  const security = { 'content-security-policy': csp, 'x-frame-options': 'DENY', 'permissions-policy': 'microphone=(self), camera=(), geolocation=()' };
  app.get('/portal', (c) => c.redirect('/portal/', 301));
  app.get('/portal/*', async (c) => {
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) {
      return c.text('The web portal has not been built yet: run `npm run build` (npm start builds it when it is missing).', 503, { 'cache-control': 'no-store', ...security });
    }
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path.slice('/portal/'.length));
    } catch {
      return c.notFound();
    }
    const file = path.resolve(root, rel || 'index.html');
    if (file !== root && !file.startsWith(root + path.sep)) return c.notFound();
    const stat = rel ? await fsp.stat(file).catch(() => null) : null;
    if (stat?.isFile()) {
      const ext = path.extname(file).toLowerCase();
      const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'content-length': String(stat.size), ...security };
      headers['cache-control'] = HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
      // MSAL's redirect bridge must keep its link to the opener: no opener isolation on that one page.
      if (rel === 'auth-redirect.html') headers['cross-origin-opener-policy'] = 'unsafe-none';
      return c.body(await fsp.readFile(file), 200, headers);
    }
    // A missing asset is a 404 (a stale tab asking for an old chunk must not get HTML back as script).
    if (/\.[a-z0-9]{1,8}$/i.test(rel)) return c.notFound();
    return c.body(await fsp.readFile(index), 200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache', ...security });
  });
}
