import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';
import { bodyLimits, MAX_JSON_DEPTH, type BodyLimitRule, type ResolvedBodyLimit } from './body-limits';
import { checkForm, checkJson, checkText, type BodyProblem } from './body-scan';
import type { AppEnv } from './env';

type TextKind = 'json' | 'form' | 'text';

/** Which checks a body's media type gets; null for binary and multipart bodies (size only). */
function textKind(contentType: string | undefined): TextKind | null {
  if (!contentType) return null;
  const semi = contentType.indexOf(';');
  const media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (media === 'application/json' || media.endsWith('+json')) return 'json';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (media.startsWith('text/')) return 'text';
  return null;
}

const tooLarge = (limit: ResolvedBodyLimit) => new AppError(413, limit.code, limit.message, { limit_bytes: limit.maxBytes });

/** Passes a body through, counting: the reader gets a 413 error the moment it passes the limit. */
function countedStream(stream: ReadableStream<Uint8Array>, limit: ResolvedBodyLimit): ReadableStream<Uint8Array> {
  let size = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.length;
        if (size > limit.maxBytes) controller.error(tooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Reads a body stream into one buffer, giving up (413) as soon as it passes the limit. */
async function readBounded(stream: ReadableStream<Uint8Array>, limit: ResolvedBodyLimit): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // Stop reading, without cancelling: the server drains the rest after the 413 so the client reads the answer.
    if (size > limit.maxBytes) throw tooLarge(limit);
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let o = 0;
  for (const ch of chunks) {
    out.set(ch, o);
    o += ch.length;
  }
  return out;
}

function problemOf(kind: TextKind, bytes: Uint8Array, maxDepth: number): BodyProblem | null {
  if (kind === 'json') return checkJson(bytes, maxDepth);
  if (kind === 'form') return checkForm(bytes);
  return checkText(bytes);
}

const decoder = new TextDecoder('utf-8');

/**
 * Guards every request body, for every route, before a handler reads it:
 * - size: the route's limit from `body-limits.ts` (default 1 MiB). A declared Content-Length over it is
 *   refused before reading; a chunked body is counted while it streams and refused the moment it passes.
 *   Either way: 413 with the row's code (payload_too_large, or file_too_large for uploads).
 * - JSON, form and text bodies: not UTF-8 (or holding NUL / lone surrogates) → 400 invalid_utf8;
 *   JSON nested deeper than 64 → 400 json_too_deep.
 * Checked text bodies are handed on through Hono's body cache, so handlers parse them as usual.
 */
export function bodyGuard(opts: { rules?: readonly BodyLimitRule[]; defaultBytes?: number; maxDepth?: number } = {}): MiddlewareHandler<AppEnv> {
  const limitFor = bodyLimits(opts.rules, opts.defaultBytes);
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const raw = c.req.raw;
    if (!raw.body) return next();
    const limit = limitFor(method, c.req.path);
    const declared = raw.headers.get('content-length');
    const chunked = raw.headers.has('transfer-encoding');
    if (declared !== null && !chunked && Number(declared) > limit.maxBytes) throw tooLarge(limit);
    const kind = textKind(raw.headers.get('content-type') ?? undefined);
    // Binary with a declared length: Node's parser delivers exactly that many bytes, so the handler may stream it.
    if (kind === null && declared !== null && !chunked) return next();
    // A streaming handler (the CSV import) gets a chunked body as a counted stream, never buffered here.
    if (kind === null && limit.streamed) {
      c.req.raw = new Request(raw, { body: countedStream(raw.body, limit), duplex: 'half' } as RequestInit);
      return next();
    }
    const bytes = await readBounded(raw.body, limit);
    if (kind) {
      const problem = problemOf(kind, bytes, maxDepth);
      if (problem) throw new AppError(400, problem.code, problem.message);
    }
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    // Hono keeps pending reads in bodyCache (its type names the resolved values).
    c.req.bodyCache.arrayBuffer = Promise.resolve(buffer) as never;
    if (kind) c.req.bodyCache.text = Promise.resolve(decoder.decode(bytes)) as never;
    // Code that reads c.req.raw itself (a streaming import) still gets the bytes.
    c.req.raw = new Request(raw, { body: buffer });
    return next();
  };
}
