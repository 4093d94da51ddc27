import type { KeyValueStore } from './key-value-store';

/** Tokens as the API returns them (TokenResponse). */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

interface Stored {
  access: string;
  refresh: string;
  expiresAt: number;
}

const KEY = 'session';

/**
 * Holds the signed-in user's tokens: in memory for requests, persisted to the host's storage so a pane
 * reopened later can refresh instead of asking for the password again.
 */
export class Session {
  private current: Stored | null = null;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<boolean> {
    const raw = await this.store.get(KEY).catch(() => null);
    if (!raw) return false;
    try {
      const parsed = JSON.parse(raw) as Stored;
      if (typeof parsed.access === 'string' && typeof parsed.refresh === 'string') this.current = parsed;
    } catch {
      await this.store.remove(KEY).catch(() => undefined);
    }
    return this.current !== null;
  }

  async save(tokens: TokenPair): Promise<void> {
    this.current = { access: tokens.access_token, refresh: tokens.refresh_token, expiresAt: this.now() + tokens.expires_in * 1000 };
    await this.store.set(KEY, JSON.stringify(this.current)).catch(() => undefined);
  }

  async clear(): Promise<void> {
    this.current = null;
    await this.store.remove(KEY).catch(() => undefined);
  }

  get signedIn(): boolean {
    return this.current !== null;
  }

  /** The access token, or null when it is missing or about to expire (30 s margin). */
  accessToken(): string | null {
    if (!this.current) return null;
    return this.current.expiresAt - 30_000 > this.now() ? this.current.access : null;
  }

  refreshToken(): string | null {
    return this.current?.refresh ?? null;
  }
}
