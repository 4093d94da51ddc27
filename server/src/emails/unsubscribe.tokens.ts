import { createHmac, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{32}$/;
const hex = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();
const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

/** Unsubscribe link tokens: tenant and recipient ids plus an HMAC-SHA256 (SECRET_KEY) over both; no expiry. */
export class UnsubscribeTokens {
  constructor(private readonly secret: string) {}

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`unsubscribe:${payload}`).digest('base64url').slice(0, 32);
  }

  sign(tenantId: string, recipientId: string): string {
    const payload = `${hex(tenantId)}${hex(recipientId)}`;
    return `${payload}.${this.mac(payload)}`;
  }

  /** The ids in a valid token, or null. */
  verify(token: string): { tenantId: string; recipientId: string } | null {
    const [payload, mac] = token.split('.');
    if (!payload || !mac || payload.length !== 64) return null;
    const t = payload.slice(0, 32);
    const r = payload.slice(32);
    if (!UUID.test(t) || !UUID.test(r)) return null;
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    return { tenantId: uuid(t), recipientId: uuid(r) };
  }
}
