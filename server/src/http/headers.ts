import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';

/*
 * Response headers set by mutating the finished response's Headers in place. Hono's own cors() and
 * secureHeaders() touch c.res before the handler or call c.header() after it; either makes Hono rebuild
 * the response from its body, which turns every JSON answer into a web stream that @hono/node-server then
 * pipes chunk by chunk (measured: about half the CPU of a 130 KB list page). In-place mutation keeps
 * @hono/node-server's fast path (one write of the string) and also reaches responses a handler built
 * with `new Response(...)`, which c.header() before next() would miss.
 */

/** The security headers every response carries (the same set hono/secure-headers sends by default, minus
 * X-Frame-Options and CORP, which the Outlook task pane and mail clients embedding posters need off). */
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  // The add-in's Microsoft sign-in (MSAL) opens a popup that must be able to talk back to the pane.
  ['Cross-Origin-Opener-Policy', 'same-origin-allow-popups'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

type Ctx = Parameters<MiddlewareHandler<AppEnv>>[0];

/** Runs `edit` on the response's headers; a frozen response (Response.redirect) is first copied. */
function editHeaders(c: Ctx, edit: (h: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    c.res = new Response(c.res.body, c.res);
    edit(c.res.headers);
  }
}

/** Security headers, plus `extra` (e.g. the request id), on every response without overriding a handler's own. */
export function securityHeaders(extra: (c: Ctx) => Record<string, string> = () => ({})): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const more = Object.entries(extra(c));
    editHeaders(c, (h) => {
      for (const [k, v] of SECURITY_HEADERS) if (!h.has(k)) h.set(k, v);
      for (const [k, v] of more) if (!h.has(k)) h.set(k, v);
    });
  };
}

const ALLOW_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';

/**
 * CORS for the API: an allowed Origin is echoed (never `*`), X-Request-Id is readable by the page,
 * preflights answer 204 with the methods, the requested headers and a max-age.
 */
export function cors(opts: { origins: readonly string[]; exposeHeaders: readonly string[]; maxAgeSec: number }): MiddlewareHandler<AppEnv> {
  const allowed = new Set(opts.origins);
  const expose = opts.exposeHeaders.join(',');
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allow = origin && allowed.has(origin) ? origin : null;
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({ Vary: 'Origin, Access-Control-Request-Headers', 'Access-Control-Max-Age': String(opts.maxAgeSec), 'Access-Control-Allow-Methods': ALLOW_METHODS });
      if (allow) headers.set('Access-Control-Allow-Origin', allow);
      const requested = c.req.header('access-control-request-headers');
      if (requested) headers.set('Access-Control-Allow-Headers', requested.split(',').map((s) => s.trim()).filter(Boolean).join(','));
      return new Response(null, { status: 204, headers });
    }
    await next();
    editHeaders(c, (h) => {
      h.append('Vary', 'Origin');
      if (allow) h.set('Access-Control-Allow-Origin', allow);
      if (expose) h.set('Access-Control-Expose-Headers', expose);
    });
  };
}
