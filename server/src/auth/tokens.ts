import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '@mvs/shared/schemas/common';
import { AppError } from '../errors';

export interface AccessClaims {
  sub: string;
  tenant_id: string;
  role: Role;
  /** The session (sign-in) the token belongs to; revoked sessions' tokens are refused (auth.middleware.ts). */
  sid: string;
  iat: number;
  exp: number;
}

/** How many verified access tokens are remembered (a token is remembered until its `exp`). */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies HS256 access tokens; makes and hashes opaque refresh tokens. */
export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, by their exact text. A hit skips the HMAC (WebCrypto costs ~0.2 ms per call),
   * which matters on list pages polled by every open task pane. Only an identical token hits, and a hit is
   * refused from the second of its `exp` on, exactly as jose would.
   */
  private readonly verified = new Map<string, AccessClaims>();
  constructor(secret: string, readonly accessTtlSec: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(p: { userId: string; tenantId: string; role: Role; sessionId: string }): Promise<string> {
    return new SignJWT({ tenant_id: p.tenantId, role: p.role, sid: p.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSec}s`)
      .sign(this.key);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.exp > Date.now() / 1000) return hit;
      this.verified.delete(token);
    }
    const claims = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return claims;
  }

  private async verifyUncached(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tenant_id !== 'string' || typeof payload.role !== 'string') {
        throw new AppError(401, 'token_invalid', 'Access token is missing required claims');
      }
      if (typeof payload.sid !== 'string') throw new AppError(401, 'token_invalid', 'Access token names no session (issued before an upgrade); refresh it or sign in again');
      if (typeof payload.exp !== 'number') throw new AppError(401, 'token_invalid', 'Access token has no expiry');
      return Object.freeze({ sub: payload.sub, tenant_id: payload.tenant_id, role: payload.role as Role, sid: payload.sid, iat: payload.iat ?? 0, exp: payload.exp });
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new AppError(401, 'token_expired', 'Access token expired; refresh it');
      throw new AppError(401, 'token_invalid', 'Access token is not valid');
    }
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: hashToken(token) };
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
