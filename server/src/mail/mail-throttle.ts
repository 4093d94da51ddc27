import type { MailProvider } from '../db/tables/email';
import type { MailThrottleRepository } from './mail-throttle.repository';

export interface ThrottleLimits {
  /** Messages per minute through this driver, across all workers. */
  perMinute: number;
  /** Messages per tenant per UTC day; 0 = no cap. */
  dailyCap: number;
}

export type Grant =
  | { granted: number; reason: null }
  /** Nothing now: the driver's rate is used up; try again after waitMs. */
  | { granted: 0; reason: 'rate'; waitMs: number }
  /** Nothing today: the tenant's daily cap is reached; sending resumes at resumeAt (next UTC midnight). */
  | { granted: 0; reason: 'daily_cap'; resumeAt: Date };

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const nextUtcMidnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

/**
 * Campaign mail throttle: a per-driver rate (token bucket holding one second's worth, at least one message)
 * and a per-tenant daily cap. Both live in the database (MailThrottleRepository), so N workers share them.
 */
export class MailThrottle {
  private readonly perSecond: number;
  private readonly burst: number;

  constructor(
    private readonly repo: MailThrottleRepository,
    readonly driver: MailProvider,
    readonly limits: ThrottleLimits,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.perSecond = limits.perMinute / 60;
    this.burst = Math.max(1, this.perSecond);
  }

  /** Asks for up to `want` messages for a tenant now. */
  async acquire(tenantId: string, want: number): Promise<Grant> {
    if (want <= 0) return { granted: 0, reason: null };
    const now = this.clock();
    const day = utcDay(now);
    const daily = this.limits.dailyCap > 0 ? await this.repo.takeDaily(tenantId, day, want, this.limits.dailyCap) : want;
    if (daily <= 0) return { granted: 0, reason: 'daily_cap', resumeAt: nextUtcMidnight(now) };
    const { granted, available } = await this.repo.takeTokens(this.driver, daily, this.perSecond, this.burst, now);
    if (this.limits.dailyCap > 0) await this.repo.returnDaily(tenantId, day, daily - granted);
    if (granted > 0) return { granted, reason: null };
    return { granted: 0, reason: 'rate', waitMs: Math.max(10, Math.ceil(((1 - available) / this.perSecond) * 1000)) };
  }

  /** Returns what was granted but not used (e.g. fewer recipients were ready than asked for). */
  async release(tenantId: string, n: number): Promise<void> {
    if (n <= 0) return;
    await this.repo.returnTokens(this.driver, n, this.burst);
    if (this.limits.dailyCap > 0) await this.repo.returnDaily(tenantId, utcDay(this.clock()), n);
  }
}
