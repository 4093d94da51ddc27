import net from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, DEMO, type TestEnv } from '../../test/harness';
import { DEFAULT_BODY_LIMIT } from './body-limits';
import { checkForm, checkJson, firstInvalidUtf8 } from './body-scan';

type Answer = { status: number; body: { code?: string; message?: string; id?: string } };

/**
 * A raw HTTP/1.1 request over a real socket: exact bytes, with a Content-Length or chunked. It reads while it
 * writes, as browsers and curl do, so an answer sent before the body is done (an early 413) is seen.
 */
function send(base: string, path: string, o: { token?: string; type: string; body: Buffer; chunked?: boolean }): Promise<Answer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const got: Buffer[] = [];
    const answer = (): Answer | null => {
      const all = Buffer.concat(got);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const head = all.subarray(0, end).toString('latin1');
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? -1);
      const body = all.subarray(end + 4);
      if (length < 0 || body.length < length) return null;
      const text = body.subarray(0, length).toString('utf8');
      return { status: Number(head.split(' ')[1]), body: text ? (JSON.parse(text) as Answer['body']) : {} };
    };
    sock.on('data', (d: Buffer) => {
      got.push(d);
      const a = answer();
      if (a) {
        sock.destroy();
        resolve(a);
      }
    });
    sock.on('error', (e) => reject(e));
    sock.on('close', () => reject(new Error(`connection closed without a full answer: ${Buffer.concat(got).toString('latin1').slice(0, 200)}`)));
    const headers = [`POST ${path} HTTP/1.1`, `Host: ${u.host}`, `Content-Type: ${o.type}`, o.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${o.body.length}`];
    if (o.token) headers.push(`Authorization: Bearer ${o.token}`);
    sock.write(headers.join('\r\n') + '\r\n\r\n');
    const write = (b: Buffer) => new Promise<void>((r) => (sock.write(b) ? r() : sock.once('drain', () => r())));
    void (async () => {
      try {
        for (let i = 0; i < o.body.length && !sock.destroyed; i += 64 * 1024) {
          const part = o.body.subarray(i, i + 64 * 1024);
          await write(o.chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
        }
        if (o.chunked && !sock.destroyed) sock.write('0\r\n\r\n');
      } catch {
        // the server closed early; the answer (or its absence) decides
      }
    })();
  });
}

/** A JSON object of exactly `size` bytes: {"name":"…","pad":"aaa…"}. */
function jsonOfSize(size: number, name = 'Sized'): Buffer {
  const head = `{"name":"${name}","pad":"`;
  return Buffer.from(head + 'a'.repeat(size - head.length - 2) + '"}');
}

describe('body guard on every route', () => {
  let env: TestEnv;
  let server: ServerType;
  let base: string;
  let token: string;
  const avatarCount = async () => Number((await env.container.db.selectFrom('avatars').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    env = await createTestEnv('pglite');
    token = await env.login(DEMO.user.email, DEMO.user.password);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: env.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await env.close();
  });

  it('refuses a 2 MB JSON body with 413 payload_too_large, declared or chunked, and creates nothing', async () => {
    const before = await avatarCount();
    const big = jsonOfSize(2 * 1024 * 1024);
    for (const chunked of [false, true]) {
      const r = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: big, chunked });
      expect(r.status, `chunked=${chunked}`).toBe(413);
      expect(r.body.code).toBe('payload_too_large');
      expect(r.body.message).toMatch(/1 MB/);
    }
    expect(await avatarCount()).toBe(before);
  });

  it('accepts a JSON body of exactly 1 MiB and refuses one byte more', async () => {
    const exact = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: jsonOfSize(DEFAULT_BODY_LIMIT, 'Exact') });
    expect(exact.status).toBe(201);
    const chunked = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: jsonOfSize(DEFAULT_BODY_LIMIT, 'Exact2'), chunked: true });
    expect(chunked.status).toBe(201);
    const over = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: jsonOfSize(DEFAULT_BODY_LIMIT + 1), chunked: true });
    expect(over.status).toBe(413);
  });

  it('refuses JSON nested deeper than 64 with 400 json_too_deep (100,000 levels too), and accepts 64', async () => {
    const before = await avatarCount();
    const nested = (levels: number) => Buffer.from(`{"name":"Deep","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`);
    for (const levels of [65, 100_000]) {
      const r = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: nested(levels) });
      expect(r.status, String(levels)).toBe(400);
      expect(r.body.code).toBe('json_too_deep');
      expect(r.body.message).toMatch(/deeper than 64/);
    }
    expect(await avatarCount()).toBe(before);
    // 64 levels (the object itself and 63 arrays) pass the guard; the unknown field is then ignored.
    expect((await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: nested(64) })).status).toBe(201);
    // Brackets inside strings are text, not nesting.
    const inString = Buffer.from(`{"name":"B${'['.repeat(80)}"}`);
    expect((await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: inString })).status).toBe(201);
  });

  it('refuses invalid UTF-8, a lone surrogate and NUL with 400 invalid_utf8, and creates nothing', async () => {
    const before = await avatarCount();
    const bodies = [
      Buffer.concat([Buffer.from('{"name":"Bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"name":"Overlong '), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      Buffer.from('{"name":"Half \\ud83d pair"}'),
      Buffer.from('{"name":"Nul \\u0000 here"}'),
    ];
    for (const body of bodies) {
      const r = await send(base, '/api/v1/avatars/', { token, type: 'application/json', body });
      expect(r.status, body.toString('latin1')).toBe(400);
      expect(r.body.code).toBe('invalid_utf8');
    }
    expect(await avatarCount()).toBe(before);
    // A real surrogate pair (an emoji) is fine.
    expect((await send(base, '/api/v1/avatars/', { token, type: 'application/json', body: Buffer.from('{"name":"Smile \\ud83d\\ude00"}') })).status).toBe(201);
    // Form bodies: %FF decodes to a byte that is not UTF-8.
    const form = await send(base, '/api/v1/auth/login', { type: 'application/x-www-form-urlencoded', body: Buffer.from('username=a%FF%40demo.com&password=x') });
    expect(form).toMatchObject({ status: 400, body: { code: 'invalid_utf8' } });
  });

  it('applies to routes outside the OpenAPI table too, with per-route rows', async () => {
    const beacon = await send(base, '/api/v1/track', { type: 'text/plain', body: Buffer.alloc(5000, 0x61) });
    expect(beacon).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    const unsub = await send(base, '/u/some-token', { type: 'application/x-www-form-urlencoded', body: Buffer.alloc(2 * 1024 * 1024, 0x61), chunked: true });
    expect(unsub.status).toBe(413);
    // A 3 MB photo is within its route's 10 MB row: it reaches the photo check (not an image → 415).
    const av = await env.request('/api/v1/avatars/', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"name":"Up"}' });
    const id = ((await av.json()) as { id: string }).id;
    const boundary = 'xyzBOUNDARY';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      Buffer.alloc(3 * 1024 * 1024, 0x61),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await send(base, `/api/v1/avatars/${id}/upload-photo`, { token, type: `multipart/form-data; boundary=${boundary}`, body: multipart, chunked: true });
    expect(up.status).toBe(415);
  });
});

describe('body scanners', () => {
  it('finds the first byte that breaks UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo ầ 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // > U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe1, 0x80]))).toBe(2); // cut short
  });

  it('counts depth outside strings only, across escapes', () => {
    expect(checkJson(Buffer.from('{"a":"\\"[[[[","b":[1]}'), 2)).toBeNull();
    expect(checkJson(Buffer.from('[[[]]]'), 2)?.code).toBe('json_too_deep');
    expect(checkJson(Buffer.from('"\\\\u0000"'), 2)).toBeNull(); // an escaped backslash, then text
  });

  it('checks the %-decoded bytes of a form', () => {
    expect(checkForm(Buffer.from('a=%C3%A9&b=x+y'))).toBeNull();
    expect(checkForm(Buffer.from('a=%E9'))?.code).toBe('invalid_utf8');
    expect(checkForm(Buffer.from('a=%00'))?.code).toBe('invalid_utf8');
    expect(checkForm(Buffer.from('a=100%'))).toBeNull();
  });
});
