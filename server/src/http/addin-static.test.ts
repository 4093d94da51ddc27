import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { router } from './app-factory';
import { mountAddin } from './addin-static';

let dist: string;
const app = router();

beforeAll(async () => {
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-addin-dist-'));
  await fs.mkdir(path.join(dist, 'assets'));
  await fs.writeFile(path.join(dist, 'taskpane.html'), '<!doctype html><title>pane</title>');
  await fs.writeFile(path.join(dist, 'taskpane.0123456789.js'), 'console.log(1)');
  await fs.writeFile(path.join(dist, 'assets', 'icon-16.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await fs.writeFile(path.join(path.dirname(dist), 'secret.txt'), 'outside');
  mountAddin(app, dist);
});
afterAll(async () => {
  await fs.rm(dist, { recursive: true, force: true });
  await fs.rm(path.join(path.dirname(dist), 'secret.txt'), { force: true });
});

describe('built add-in served at /addin/*', () => {
  it('serves the task pane page (revalidated) and hashed scripts (cached for a year)', async () => {
    const page = await app.request('/addin/taskpane.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const js = await app.request('/addin/taskpane.0123456789.js');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/addin')).headers.get('location')).toBe('/addin/taskpane.html');
  });

  it('serves icons without Cache-Control, because Office then replaces them with a default image', async () => {
    const icon = await app.request('/addin/assets/icon-16.png');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(icon.headers.get('cache-control')).toBeNull();
  });

  it('refuses paths outside the bundle and unknown files with 404', async () => {
    expect((await app.request('/addin/..%2Fsecret.txt')).status).toBe(404);
    expect((await app.request('/addin/nope.js')).status).toBe(404);
  });

  it('mounts nothing when the add-in has not been built', async () => {
    const bare = router();
    mountAddin(bare, path.join(dist, 'missing'));
    expect((await bare.request('/addin/taskpane.html')).status).toBe(404);
  });
});
