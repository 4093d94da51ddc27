import zlib from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonBytes, jsonResponse, pickEncoding } from './json-bytes';

describe('jsonBytes', () => {
  it('produces exactly the bytes of JSON.stringify, including large pages and non-ASCII text', () => {
    const item = (i: number) => ({ id: `v${i}`, title: i % 2 ? `Chào anh Minh ${i} — “quote” \u2028 😀` : null, n: i / 3, tags: ['a', 'b'], nested: { ok: true } });
    const cases: Record<string, unknown>[] = [
      { items: Array.from({ length: 1500 }, (_, i) => item(i)), total: 1500, page: 1, page_size: 1500 },
      { items: [], total: 0 },
      {},
      { a: undefined, b: 1, c: [undefined, () => 1, null], d: 'x"y\\z', e: new Date(0) },
    ];
    for (const value of cases) expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(jsonBytes(cases[0]!).length).toBeGreaterThan(128 * 1024);
  });
});

describe('jsonResponse', () => {
  const page = { items: Array.from({ length: 200 }, (_, i) => ({ id: `v${i}`, url: `http://localhost:3000/files/t/videos/${i}.mp4?exp=1&sig=abc` })), total: 200 };
  const app = new Hono().get('/', (c) => jsonResponse(c, page, 200)).get('/small', (c) => jsonResponse(c, { ok: true }, 200));
  const get = (path: string, acceptEncoding?: string) => app.request(path, acceptEncoding ? { headers: { 'accept-encoding': acceptEncoding } } : {});
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

  it('compresses large answers with brotli or gzip as the client accepts, to the same JSON', async () => {
    const br = await get('/', 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    const brBody = await bytes(br);
    expect(JSON.parse(zlib.brotliDecompressSync(brBody).toString('utf8'))).toEqual(page);
    expect(brBody.length).toBeLessThan(JSON.stringify(page).length / 4);

    const gz = await get('/', 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(await bytes(gz)).toString('utf8'))).toEqual(page);
    expect(gz.headers.get('vary')).toContain('Accept-Encoding');
  });

  it('sends plain JSON when the client accepts no encoding, refuses br with q=0, or the body is small', async () => {
    const plain = await get('/');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse((await bytes(plain)).toString('utf8'))).toEqual(page);
    expect((await get('/', 'br;q=0, gzip;q=0.5')).headers.get('content-encoding')).toBe('gzip');
    expect((await get('/', 'identity')).headers.get('content-encoding')).toBeNull();
    const small = await get('/small', 'br');
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
  });

  it('reads Accept-Encoding with q-values and wildcards', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('deflate')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });
});
