import { createHmac } from 'node:crypto';
import { AppError } from '../errors';
import type { ThrottleRepository } from './throttle.repository';

/**
 * How a kind of key is held back: `free` failures in a window cost nothing; each further one makes the next
 * attempt wait (doubling from `baseDelayMs`, at most `maxDelayMs`); at `maxFailures` the key is locked for
 * `lockSec`. A lock ends by itself; an admin can lift an account's lock.
 */
export interface ThrottlePolicy {
  free: number;
  maxFailures: number;
  windowSec: number;
  lockSec: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Per account (email), from any address: a person mistyping gets a few free tries. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 3, maxFailures: 10, windowSec: 900, lockSec: 900, baseDelayMs: 1000, maxDelayMs: 30_000 };
/** Per client address: an office behind one NAT shares it, so it is more lenient; it stops spraying across accounts. */
export const IP_POLICY: ThrottlePolicy = { free: 20, maxFailures: 50, windowSec: 900, lockSec: 900, baseDelayMs: 250, maxDelayMs: 30_000 };
/** Registrations per client address (each one costs a bcrypt hash and creates a workspace). */
export const REGISTER_POLICY: ThrottlePolicy = { free: 5, maxFailures: 20, windowSec: 3600, lockSec: 3600, baseDelayMs: 2000, maxDelayMs: 60_000 };

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** What a counted failure did to a key. */
export interface FailureOutcome {
  key: string;
  failures: number;
  /** Set when this failure locked the key. */
  lockedUntil?: Date;
}

/**
 * Login throttling (issue 11): counters per account and per client IP hash in the database, so every API
 * process shares them (on PostgreSQL; PGlite is one process anyway). Keys never hold an email or an IP in
 * clear: `acct:` + a keyed hash of the lower-cased email, `ip:` / `reg:` + the salted IP hash tracking uses.
 */
export class LoginThrottle {
  private lastPrune = 0;
  private readonly emailKey: Buffer;

  constructor(
    private readonly repo: ThrottleRepository,
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.emailKey = createHmac('sha256', secret).update('mvs:throttle-email').digest();
  }

  account(email: string): ThrottleKey {
    const h = createHmac('sha256', this.emailKey).update(email.trim().toLowerCase()).digest('base64url').slice(0, 22);
    return { key: `acct:${h}`, policy: ACCOUNT_POLICY };
  }

  /** The client's key; in-process requests without an address share `ip:-`. */
  ip(ipHash: string | null | undefined, prefix: 'ip' | 'reg' = 'ip'): ThrottleKey {
    return { key: `${prefix}:${ipHash ?? '-'}`, policy: prefix === 'reg' ? REGISTER_POLICY : IP_POLICY };
  }

  /** Throws 429 too_many_attempts (with retry_after_seconds) when any key is locked or must still wait. */
  async check(keys: ThrottleKey[]): Promise<void> {
    const now = this.now();
    let wait = 0;
    let locked = false;
    for (const r of await this.repo.get(keys.map((k) => k.key))) {
      const lock = r.locked_until?.getTime() ?? 0;
      const next = r.next_allowed_at?.getTime() ?? 0;
      if (lock > now) locked = true;
      wait = Math.max(wait, lock - now, next - now);
    }
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError(
        429,
        'too_many_attempts',
        locked
          ? `Too many failed attempts: sign-in is locked for ${humanWait(seconds)}. Wait, or ask your admin to unlock your account`
          : `Too many failed attempts: wait ${humanWait(seconds)} before trying again`,
        { retry_after_seconds: seconds, locked },
      );
    }
  }

  /** Counts a failure on every key and sets its wait or lock. */
  async fail(keys: ThrottleKey[]): Promise<FailureOutcome[]> {
    const now = this.now();
    const out: FailureOutcome[] = [];
    for (const { key, policy } of keys) {
      const failures = await this.repo.addFailure(key, new Date(now), new Date(now - policy.windowSec * 1000));
      if (failures >= policy.maxFailures) {
        const lockedUntil = new Date(now + policy.lockSec * 1000);
        await this.repo.setWaits(key, { next_allowed_at: null, locked_until: lockedUntil });
        out.push({ key, failures, lockedUntil });
      } else {
        if (failures > policy.free) {
          const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - policy.free - 1));
          await this.repo.setWaits(key, { next_allowed_at: new Date(now + delay) });
        }
        out.push({ key, failures });
      }
    }
    if (now - this.lastPrune > 600_000) {
      this.lastPrune = now;
      await this.repo.prune(new Date(now - 2 * 3600_000), new Date(now));
    }
    return out;
  }

  /** Forgets a key (a successful sign-in clears its account; an admin lifts a lock). */
  clear(key: ThrottleKey) {
    return this.repo.clear(key.key);
  }

  /** Until when an account is locked, or null. */
  async lockedUntil(email: string): Promise<Date | null> {
    const [r] = await this.repo.get([this.account(email).key]);
    return r?.locked_until && r.locked_until.getTime() > this.now() ? r.locked_until : null;
  }

  /** Lock ends of many accounts at once (the users list). */
  async lockedUntilMany(emails: string[]): Promise<Map<string, Date>> {
    const byKey = new Map(emails.map((e) => [this.account(e).key, e]));
    const out = new Map<string, Date>();
    for (const r of await this.repo.get([...byKey.keys()])) {
      if (r.locked_until && r.locked_until.getTime() > this.now()) out.set(byKey.get(r.key)!, r.locked_until);
    }
    return out;
  }
}

/** "45 s", "15 min". */
export function humanWait(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
