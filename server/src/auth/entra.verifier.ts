import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../errors';

/** Microsoft's multi-tenant signing keys; tests and sovereign clouds point ENTRA_JWKS_URL elsewhere. */
export const DEFAULT_ENTRA_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
/** The delegated scope the add-in requests for this API (`api://<client id>/access_as_user`). */
export const ENTRA_SCOPE = 'access_as_user';

/** What an Entra token must match: audiences (client id, App ID URI) and issuers for its `tid`. */
export interface EntraExpectation {
  audiences: string[];
  issuers: string[];
}

/** Claims we use from a verified Entra v2 access or ID token. */
export interface EntraClaims extends JWTPayload {
  tid: string;
  oid: string;
  email?: string;
  preferred_username?: string;
  upn?: string;
  name?: string;
  scp?: string;
}

/** Verifies Entra ID tokens with jose: RS256 only, key by `kid` from the (cached, auto-refreshed) JWKS. */
export class EntraVerifier {
  private readonly getKey: JWTVerifyGetKey;

  constructor(source: { jwksUrl?: string } | { getKey: JWTVerifyGetKey }) {
    // createRemoteJWKSet fetches lazily, caches, and refetches when a token names an unknown kid (key rotation).
    this.getKey = 'getKey' in source ? source.getKey : createRemoteJWKSet(new URL(source.jwksUrl ?? DEFAULT_ENTRA_JWKS_URL));
  }

  async verify(token: string, expect: EntraExpectation): Promise<EntraClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        audience: expect.audiences,
        issuer: expect.issuers,
        algorithms: ['RS256'],
        clockTolerance: 300,
      }));
    } catch (err) {
      throw toAppError(err, expect);
    }
    if (typeof payload.oid !== 'string' || typeof payload.tid !== 'string') {
      throw new AppError(401, 'token_invalid', 'Microsoft token has no oid/tid claims; send an Entra ID v2 token');
    }
    // Access tokens carry scopes; an ID token (no scp) is accepted only for the client id audience itself.
    if (typeof payload.scp === 'string' && !payload.scp.split(' ').includes(ENTRA_SCOPE)) {
      throw new AppError(401, 'token_invalid', `Microsoft token lacks the ${ENTRA_SCOPE} scope; request api://<client id>/${ENTRA_SCOPE}`);
    }
    return payload as EntraClaims;
  }
}

function toAppError(err: unknown, expect: EntraExpectation): AppError {
  if (err instanceof errors.JWTExpired) return new AppError(401, 'token_expired', 'Microsoft token expired; sign in again');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new AppError(401, 'token_invalid', `Microsoft token is for another app; expected audience ${expect.audiences.join(' or ')}`);
    if (err.claim === 'iss') return new AppError(401, 'token_invalid', `Microsoft token has an unexpected issuer; expected ${expect.issuers.join(' or ')}`);
    return new AppError(401, 'token_invalid', `Microsoft token claim "${err.claim}" is not valid (${err.reason})`);
  }
  if (err instanceof errors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message))) {
    return new AppError(503, 'provider_unavailable', 'Could not fetch Microsoft signing keys; try again shortly');
  }
  if (err instanceof errors.JWKSNoMatchingKey) return new AppError(401, 'token_invalid', 'Microsoft token is signed with an unknown key');
  if (err instanceof errors.JOSEAlgNotAllowed) return new AppError(401, 'token_invalid', 'Microsoft token must be signed with RS256');
  if (err instanceof errors.JOSEError) return new AppError(401, 'token_invalid', `Microsoft token is not valid (${err.code})`);
  return new AppError(401, 'token_invalid', 'Microsoft token is not valid');
}
