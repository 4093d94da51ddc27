import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { AuthRepository } from './auth.repository';
import type { AuthService } from './auth.service';
import { EntraRepository } from './entra.repository';
import { EntraService } from './entra.service';
import { EntraVerifier } from './entra.verifier';

/** Entra ID sign-in (see entra.service.ts); keys come from ENTRA_JWKS_URL, fetched on first use. */
export function createEntra(config: Config, db: Kysely<DB>, deps: { authRepo: AuthRepository; auth: AuthService; audit: AuditRepository }) {
  const entraRepo = new EntraRepository(db);
  const verifier = new EntraVerifier({ jwksUrl: config.ENTRA_JWKS_URL });
  return { entraRepo, entra: new EntraService(config, verifier, entraRepo, deps.authRepo, deps.auth, deps.audit) };
}
export type Entra = ReturnType<typeof createEntra>;
