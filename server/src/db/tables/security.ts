import type { Generated } from 'kysely';
import type { CreatedAt, JsonDefault, Timestamp } from './core';

/** One sign-in: the refresh-token family and every access token issued in it carry its id (`sid`). */
export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  method: Generated<'password' | 'entra' | 'register'>;
  ip_hash: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  refreshed_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
}

/** Failed-attempt counters per account / client (see auth/throttle.ts). */
export interface AuthThrottleTable {
  key: string;
  failures: Generated<number>;
  window_start: Timestamp;
  last_failure_at: Timestamp;
  next_allowed_at: Timestamp | null;
  locked_until: Timestamp | null;
}

export type ProviderName = 'openai' | 'elevenlabs' | 'heygen' | 'sendgrid';

/** A tenant's own API key for a provider, sealed with SecretBox. */
export interface ProviderCredentialsTable {
  tenant_id: string;
  provider: ProviderName;
  api_key: string;
  last4: string;
  base_url: string | null;
  /** Provider-specific, non-secret choices (e.g. a default model or voice). */
  options: JsonDefault<Record<string, unknown>>;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// Tables owned by the security feature (auth sessions, throttling, secrets at rest).
export interface SecurityTables {
  sessions: SessionsTable;
  auth_throttle: AuthThrottleTable;
  provider_credentials: ProviderCredentialsTable;
}
