import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from './env';

/** Where `npm run build` writes the add-in (addin/dist at the repository root). */
export const DEFAULT_ADDIN_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../addin/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Serves the built add-in at /addin/* (task pane, commands page, icons, manifest) when addin/dist exists,
 * so `npm start` alone serves API + add-in. Content-hashed scripts are cached for a year; pages are
 * revalidated; icons carry no Cache-Control because Office then substitutes a default image.
 */
export function mountAddin(app: Hono<AppEnv>, distDir = DEFAULT_ADDIN_DIST): void {
  if (!fs.existsSync(path.join(distDir, 'taskpane.html'))) return;
  const root = path.resolve(distDir);
  app.get('/addin', (c) => c.redirect('/addin/taskpane.html', 302));
  app.get('/addin/*', async (c) => {
    const rel = decodeURIComponent(c.req.path.slice('/addin/'.length)) || 'taskpane.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) return c.notFound();
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat?.isFile()) return c.notFound();
    const ext = path.extname(file).toLowerCase();
    const headers: Record<string, string> = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'content-length': String(stat.size) };
    if (/\.[0-9a-f]{8,}\.(js|css)$/.test(file)) headers['cache-control'] = 'public, max-age=31536000, immutable';
    else if (ext === '.html' || ext === '.xml') headers['cache-control'] = 'no-cache';
    return c.body(await fsp.readFile(file), 200, headers);
  });
}
