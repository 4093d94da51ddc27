import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { Storage } from './storage';

/** Parses a single `bytes=a-b` range against `size`; null when absent, 'invalid' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** Streams a stored object with HTTP Range support (206/416) so players can seek. */
export async function serveObject(c: Context, storage: Storage, key: string, opts: { cacheSeconds?: number; filename?: string } = {}) {
  const st = await storage.stat(key);
  const requestId = c.get('requestId') as string | undefined;
  if (!st) return c.json({ code: 'not_found', message: 'File not found', requestId }, 404);
  const range = parseRange(c.req.header('range'), st.size);
  const headers: Record<string, string> = {
    'content-type': st.contentType,
    'accept-ranges': 'bytes',
    'cache-control': opts.cacheSeconds ? `private, max-age=${opts.cacheSeconds}` : 'private, no-cache',
  };
  if (opts.filename) headers['content-disposition'] = `inline; filename="${opts.filename.replace(/"/g, '')}"`;
  if (range === 'invalid') {
    // The one error shape, like every other 4xx (players only look at the status and Content-Range).
    const message = `The requested range lies outside the file (${st.size} bytes)`;
    return c.json({ code: 'range_not_satisfiable', message, requestId }, 416, { 'accept-ranges': 'bytes', 'content-range': `bytes */${st.size}` });
  }
  if (c.req.method === 'HEAD') return c.body(null, 200, { ...headers, 'content-length': String(st.size) });
  const stream = await storage.getStream(key, range ?? undefined);
  const body = Readable.toWeb(stream) as unknown as ReadableStream;
  if (range) {
    return c.body(body, 206, {
      ...headers,
      'content-range': `bytes ${range.start}-${range.end}/${st.size}`,
      'content-length': String(range.end - range.start + 1),
    });
  }
  return c.body(body, 200, { ...headers, 'content-length': String(st.size) });
}
