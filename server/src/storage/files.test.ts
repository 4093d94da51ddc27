import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness';
import { newKey } from './storage';

/** Path and query of a signed URL, to request it from the in-process app. */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('local storage signed URLs through /files', () => {
  let env: TestEnv;
  let key: string;
  const body = Buffer.from('0123456789abcdefghij');

  beforeAll(async () => {
    env = await createTestEnv('pglite', { seed: false });
    key = newKey('11111111-2222-3333-4444-555555555555', 'test', 'txt');
    await env.container.storage.put(key, body, 'text/plain');
  });
  afterAll(() => env.close());

  it('serves the object for a valid signature', async () => {
    const url = await env.container.storage.signedUrl(key, 60);
    expect(url.startsWith(`${env.config.PUBLIC_URL}/files/`)).toBe(true);
    const res = await env.request(local(url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
  });

  it('hands out the same link for an object on repeated calls, so browsers can cache it, and it still works', async () => {
    const a = await env.container.storage.signedUrl(key, 6 * 3600);
    const b = await env.container.storage.signedUrl(key, 6 * 3600);
    expect(b).toBe(a);
    const exp = Number(new URL(a).searchParams.get('exp'));
    expect(exp).toBeGreaterThan(Date.now() / 1000 + 5.5 * 3600);
    expect((await env.request(local(b))).status).toBe(200);
  });

  it('answers 403 for an expired link', async () => {
    const url = await env.container.storage.signedUrl(key, -5);
    const res = await env.request(local(url));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
  });

  it('answers 403 for a forged signature, a stretched expiry and another key', async () => {
    const u = new URL(await env.container.storage.signedUrl(key, 60));
    const sig = u.searchParams.get('sig')!;
    const forged = new URL(u);
    forged.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const stretched = new URL(u);
    stretched.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600));
    const otherKey = newKey('11111111-2222-3333-4444-555555555555', 'test', 'txt');
    await env.container.storage.put(otherKey, Buffer.from('secret'), 'text/plain');
    const swapped = `/files/${otherKey}${u.search}`;
    for (const path of [local(forged.toString()), local(stretched.toString()), swapped, `/files/${key}`]) {
      expect((await env.request(path)).status).toBe(403);
    }
  });

  it('answers a Range request with 206 and an unsatisfiable one with 416', async () => {
    const path = local(await env.container.storage.signedUrl(key, 60));
    const part = await env.request(path, { headers: { range: 'bytes=5-9' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5-9/${body.length}`);
    expect(await part.text()).toBe('56789');
    const tail = await env.request(path, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('hij');
    const bad = await env.request(path, { headers: { range: 'bytes=500-600' } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${body.length}`);
  });
});
