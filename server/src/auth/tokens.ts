import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '@mvs/shared/schemas/common';
import { AppError } from '../errors';

export interface AccessClaims {
  sub: string;
  tenant_id: string;
  role: Role;
  iat: number;
  exp: number;
}

/** Signs and verifies HS256 access tokens; makes and hashes opaque refresh tokens. */
export class TokenService {
  private readonly key: Uint8Array;
  constructor(secret: string, readonly accessTtlSec: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(p: { userId: string; tenantId: string; role: Role }): Promise<string> {
    return new SignJWT({ tenant_id: p.tenantId, role: p.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSec}s`)
      .sign(this.key);
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tenant_id !== 'string' || typeof payload.role !== 'string') {
        throw new AppError(401, 'token_invalid', 'Access token is missing required claims');
      }
      return payload as unknown as AccessClaims;
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
