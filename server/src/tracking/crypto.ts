import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 128-bit random, URL-safe identifier (22 characters). */
export const newSlug = () => randomBytes(16).toString('base64url');

/** Derives a purpose-bound key from SECRET_KEY, so one leak does not expose the others. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`mvs:${purpose}`).digest();
}

/** Salted, keyed hash of an IP address: lets us see repeats and bursts without storing the address. */
export class IpHasher {
  private readonly key: Buffer;
  /** Recent addresses: a viewer's page, poster and beacons come from one address within seconds (an HMAC is ~10 µs). */
  private readonly memo = new Map<string, string>();
  constructor(secret: string, private readonly memoSize = 20_000) {
    this.key = deriveKey(secret, 'ip-hash-salt');
  }
  hash(ip: string | undefined): string | null {
    if (!ip) return null;
    const hit = this.memo.get(ip);
    if (hit) return hit;
    const h = createHmac('sha256', this.key).update(ip).digest('base64url').slice(0, 22);
    if (this.memo.size >= this.memoSize) this.memo.clear();
    this.memo.set(ip, h);
    return h;
  }
}

/** What the watch page embeds so its beacons can be attributed and trusted. */
export interface TrackClaims {
  tenantId: string;
  videoId: string;
  recipientId: string | null;
  sessionId: string;
  /** Page render time and expiry, in Unix seconds. */
  loadedAt: number;
  exp: number;
}

/** Signs and verifies the beacon token (HMAC-SHA256 over a compact JSON payload). */
export class TrackTokens {
  private readonly key: Buffer;
  constructor(secret: string, private readonly ttlSec = 6 * 3600) {
    this.key = deriveKey(secret, 'track-token');
  }

  sign(c: Omit<TrackClaims, 'loadedAt' | 'exp' | 'sessionId'>, now = Date.now()): { token: string; claims: TrackClaims } {
    const loadedAt = Math.floor(now / 1000);
    const claims: TrackClaims = { ...c, sessionId: newSlug(), loadedAt, exp: loadedAt + this.ttlSec };
    const body = Buffer.from(JSON.stringify([claims.tenantId, claims.videoId, claims.recipientId, claims.sessionId, loadedAt, claims.exp])).toString('base64url');
    return { token: `${body}.${this.mac(body)}`, claims };
  }

  /** The claims, or a reason the token is refused. */
  verify(token: string, now = Date.now()): TrackClaims | 'invalid' | 'expired' {
    const dot = token.indexOf('.');
    if (dot < 1 || token.length > 600) return 'invalid';
    const body = token.slice(0, dot);
    const want = Buffer.from(this.mac(body));
    const got = Buffer.from(token.slice(dot + 1));
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid';
    let arr: unknown;
    try {
      arr = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return 'invalid';
    }
    if (!Array.isArray(arr) || arr.length !== 6) return 'invalid';
    const [tenantId, videoId, recipientId, sessionId, loadedAt, exp] = arr as [string, string, string | null, string, number, number];
    if (exp < now / 1000) return 'expired';
    return { tenantId, videoId, recipientId, sessionId, loadedAt, exp };
  }

  private mac(body: string) {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
