import type { Role } from '@mvs/shared/schemas/common';
import type { Container } from '../container';
import type { Logger } from '../logger';

/** The authenticated caller, set by the auth middleware. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
  /** The session (sign-in) of the access token; absent for principals made outside a request (jobs). */
  sessionId?: string;
  /** Salted hash of the client IP, for audit rows (`audit.record({ ..., ipHash: p.ipHash })`); computed on first read. */
  readonly ipHash?: string | null;
}

export interface AppEnv {
  Variables: {
    container: Container;
    requestId: string;
    log: Logger;
    principal: Principal;
  };
}
