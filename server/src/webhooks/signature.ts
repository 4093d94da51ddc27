import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header our outgoing webhook deliveries carry. */
export const SIGNATURE_HEADER = 'X-MVS-Signature';

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (see docs/webhooks.md). */
export function signWebhook(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/** The receiver's check (the documented recipe): recompute over the raw body, compare in constant time, bound the age. */
export function verifyWebhook(secret: string, header: string | null | undefined, rawBody: string, toleranceSec = 300, nowSec = Date.now() / 1000): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSec - t) > toleranceSec) return false;
  const want = Buffer.from(hmac(secret, t, rawBody), 'hex');
  const got = Buffer.from(parts.v1, 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}
