import type { Role } from '@mvs/shared/schemas/common';
import type { Container } from '../container';
import type { Logger } from '../logger';

/** The authenticated caller, set by the auth middleware. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
}

export interface AppEnv {
  Variables: {
    container: Container;
    requestId: string;
    log: Logger;
    principal: Principal;
  };
}
