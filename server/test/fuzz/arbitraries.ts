import fc from 'fast-check';
import { createTestEnv } from '../harness';

/* fast-check arbitraries built from the OpenAPI document: requests that are wrong in every way a client can be. */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  method: string;
  path: string;
  secured: boolean;
  parameters: Parameter[];
  /** Request body schemas by content type. */
  bodies: Record<string, Schema>;
}
export interface IdPools {
  tokenA: string;
  tokenB: string;
  /** Ids of tenant A's own rows (the tenant of tokenA). */
  own: string[];
  /** Ids of tenant B's rows. */
  foreign: string[];
}

/** Every operation of the app's /openapi.json, $refs resolved; auth routes last (logout would end the session). */
export async function collectOperations(): Promise<Operation[]> {
  const env = await createTestEnv('pglite', { seed: false });
  try {
    const doc = (await (await env.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components?: { schemas?: Record<string, Schema> };
    };
    const resolve = (s: Schema | undefined, depth = 0): Schema => {
      if (!s || depth > 8) return {};
      if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!], depth + 1);
      const out: Schema = { ...s };
      if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, resolve(v, depth + 1)]));
      if (s.items) out.items = resolve(s.items, depth + 1);
      for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (s[k]) out[k] = s[k]!.map((x) => resolve(x, depth + 1));
      return out;
    };
    const ops: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const content = op.requestBody?.content ?? {};
        ops.push({
          method,
          path,
          secured: !!op.security?.length,
          parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
          bodies: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, resolve(c.schema)])),
        });
      }
    }
    const rank = (o: Operation) => (o.path.startsWith('/api/v1/auth/') ? (o.path.endsWith('/logout') ? 2 : 1) : 0);
    return ops.sort((a, b) => rank(a) - rank(b));
  } finally {
    await env.close();
  }
}

/** Strings that break naive code: NUL, lone surrogates, RTL overrides, zero-width, injection, templates, huge. */
export const evilString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uD83D', '\u202Eevil.exe', '\u200B\u200D\uFEFF', 'İı ß ﬃ', 'e\u0301\u0301\u0301', '👩‍👩‍👧‍👦'.repeat(20), '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '%00%ff', '{{first_name}}', 'NaN', '-1', '1e309', 'null', 'true', '[]', '{}') },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_001), 'é'.repeat(70_000), '😀'.repeat(30_000)) },
);
const ascii = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE));
const wrongType: fc.Arbitrary<unknown> = fc.oneof(number, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.array(evilString, { maxLength: 3 }), evilString);

/** A value that fits `schema` (roughly), from which mutations start. */
function fromSchema(s: Schema, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(a, ids, depth + 1)));
  if (s.allOf?.length) return fromSchema(Object.assign({}, ...s.allOf) as Schema, ids, depth + 1);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      if (!props.length) return fc.dictionary(ascii, fc.oneof(ascii, number), { maxKeys: 3 });
      const required = new Set(s.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, ids, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
    case 'array':
      return fc.array(fromSchema(s.items ?? {}, ids, depth + 1), { maxLength: 3 });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.format === 'uuid') return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
      if (s.format === 'email') return fc.oneof(fc.emailAddress(), fc.constantFrom('Lan@Customer.Example', 'a@b'));
      if (s.format === 'uri' || s.format === 'url') return fc.oneof(fc.webUrl(), fc.constantFrom('https://93.184.216.34/x', 'http://127.0.0.1:1/', 'javascript:alert(1)'));
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: 1, maxLength: Math.min(s.maxLength ?? 40, 40) });
    default:
      return fc.oneof(ascii, number, fc.boolean());
  }
}

/** A body for the schema: mostly valid-looking with one thing wrong (type, missing field, evil string, extra key). */
function jsonValue(s: Schema, ids: string[]): fc.Arbitrary<unknown> {
  const base = fromSchema(s, ids);
  const keys = Object.keys(s.properties ?? {});
  const mutate = fc.tuple(base, fc.constantFrom(...(keys.length ? keys : ['x'])), fc.integer({ min: 0, max: 4 }), wrongType).map(([v, key, how, wrong]) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return wrong;
    const o = { ...(v as Record<string, unknown>) };
    if (how === 0) delete o[key];
    else if (how === 1) o[key] = wrong;
    else if (how === 2) o[key] = `\u0000${typeof o[key] === 'string' ? o[key] : ''}`;
    else if (how === 3) o.__proto__extra = { admin: true, role: 'admin', tenant_id: '00000000-0000-0000-0000-000000000000' };
    else return [o];
    return o;
  });
  // A third look valid, so the fuzz also reaches the code behind validation.
  return fc.oneof({ weight: 3, arbitrary: base }, { weight: 4, arbitrary: mutate }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: evilString });
}

const JSON_JUNK = ['{', '{"a":', '[', '"unterminated', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"polluted":1}}}', `${'['.repeat(200)}${']'.repeat(200)}`, '1e999999', '{"a":1,"a":2}', ''];
const WRONG_TYPES = ['text/plain', 'application/xml', 'application/json; charset=iso-8859-1', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/octet-stream', ''];
const INVALID_UTF8 = new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);

export interface BodyCase {
  body: string | Uint8Array | FormData | undefined;
  headers: Record<string, string>;
}

export function bodyArb(op: Operation): fc.Arbitrary<BodyCase> {
  const json = op.bodies['application/json'];
  const multipart = op.bodies['multipart/form-data'];
  const form = op.bodies['application/x-www-form-urlencoded'];
  const raw = fc.oneof(
    fc.constantFrom(...JSON_JUNK).map((b): BodyCase => ({ body: b, headers: { 'content-type': 'application/json' } })),
    fc.constant<BodyCase>({ body: INVALID_UTF8, headers: { 'content-type': 'application/json' } }),
    fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...WRONG_TYPES)).map(([v, t]): BodyCase => ({ body: JSON.stringify(v), headers: t ? { 'content-type': t } : {} })),
  );
  const cases: fc.Arbitrary<BodyCase>[] = [raw];
  if (json) cases.push(jsonValue(json, []).map((v): BodyCase => ({ body: JSON.stringify(v), headers: { 'content-type': 'application/json' } })), jsonValue(json, []).map((v): BodyCase => ({ body: JSON.stringify(v), headers: { 'content-type': 'application/json' } })));
  if (multipart) {
    const fields = Object.keys(multipart.properties ?? { file: {} });
    cases.push(
      fc.tuple(fc.subarray(fields), evilString, fc.uint8Array({ maxLength: 64 }), fc.constantFrom('a.png', 'x.jpg', '../../x', '\u0000.wav', 'a'.repeat(300))).map(([names, text, bytes, filename]): BodyCase => {
        const fd = new FormData();
        for (const [i, n] of names.entries()) {
          if (i % 2) fd.set(n, text);
          else fd.set(n, new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...bytes])]), filename);
        }
        return { body: fd, headers: {} };
      }),
    );
  }
  if (form) {
    cases.push(fc.dictionary(fc.constantFrom(...Object.keys(form.properties ?? { username: {} }), 'grant_type', 'x'), evilString, { maxKeys: 4 }).map((d): BodyCase => ({ body: new URLSearchParams(d as Record<string, string>).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })));
  }
  if (!json && !multipart && !form) cases.push(fc.constant<BodyCase>({ body: undefined, headers: {} }), fc.constant<BodyCase>({ body: undefined, headers: {} }));
  return fc.oneof(...cases);
}

/** A lone surrogate cannot travel in a URL (it has no UTF-8): replace it, as browsers do. */
const wellFormed = (v: string) => v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

export interface ParamCase {
  url: string;
  /** Ids of the other tenant the request carries (path or query). */
  foreignIds: string[];
}

export function paramArb(op: Operation, pools: IdPools): fc.Arbitrary<ParamCase> {
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...pools.foreign).map((v) => ({ v, foreign: true })) },
    { weight: 3, arbitrary: fc.constantFrom(...pools.own).map((v) => ({ v, foreign: false })) },
    { weight: 1, arbitrary: fc.uuid().map((v) => ({ v, foreign: false })) },
    { weight: 2, arbitrary: evilString.map((v) => ({ v: encodeURIComponent(wellFormed(v)), foreign: false })) },
    // Sent as they are: invalid UTF-8 and broken escapes in the path.
    { weight: 1, arbitrary: fc.constantFrom('%FF%FE', '%E0%80%AF', '%00', '%', '%zz', '..%2F..%2F').map((v) => ({ v, foreign: false })) },
  );
  const path = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  const queryValue = (p: Parameter) =>
    fc.option(
      fc.oneof(
        fromSchema(p.schema ?? {}, pools.own).map((v) => ({ v: String(v), foreign: false })),
        id,
        number.map((n) => ({ v: String(n), foreign: false })),
      ),
      { nil: undefined },
    );
  return fc
    .tuple(fc.tuple(...path.map(() => id)), fc.tuple(...query.map(queryValue)))
    .map(([pathValues, queryValues]) => {
      let url = op.path;
      const foreignIds: string[] = [];
      path.forEach((p, i) => {
        const { v, foreign } = pathValues[i]!;
        if (foreign) foreignIds.push(v);
        url = url.replace(`{${p.name}}`, foreign ? v : v.slice(0, 6000)); // evil values arrive percent-encoded already
      });
      const q = new URLSearchParams();
      query.forEach((p, i) => {
        const got = queryValues[i];
        if (!got) return;
        if (got.foreign) foreignIds.push(got.v);
        q.append(p.name, wellFormed(got.v).slice(0, 2000));
      });
      const qs = q.toString();
      return { url: `${url}${qs ? `?${qs}` : ''}`, foreignIds };
    });
}

export interface HeaderCase {
  headers: Record<string, string>;
  /** Whose token the request carries. */
  tenant: 'A' | 'B' | null;
}

export function headerArb(_op: Operation, pools: IdPools): fc.Arbitrary<HeaderCase> {
  const auth = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ h: `Bearer ${pools.tokenA}`, tenant: 'A' as const }) },
    { weight: 1, arbitrary: fc.constant({ h: `Bearer ${pools.tokenB}`, tenant: 'B' as const }) },
    { weight: 1, arbitrary: fc.constant({ h: '', tenant: null }) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('Bearer', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', `Bearer ${pools.tokenA}x`, `bearer ${pools.tokenA.split('.').slice(0, 2).join('.')}.`), ascii.map((a) => `Bearer ${a}`)).map((h) => ({ h, tenant: null })) },
  );
  const extra = fc.record(
    {
      'x-request-id': ascii,
      'accept-language': fc.oneof(ascii, fc.constantFrom('vi', 'vi-VN,vi;q=0.9', 'en;q=abc', '*')),
      range: fc.constantFrom('bytes=0-', 'bytes=999999999-', 'bytes=abc', 'bytes=5-1', 'bytes=0-1,2-3'),
      'if-none-match': ascii,
      'idempotency-key': ascii,
      accept: fc.constantFrom('application/json', 'text/event-stream', '*/*', 'image/png'),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(auth, extra).map(([a, e]) => ({ headers: { ...(a.h ? { authorization: a.h } : {}), ...e }, tenant: a.tenant }));
}
