import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from '../db/types';
import type { Database } from '../db/database';
import { mapUnavailable } from '../db/unavailable';
import type { Logger } from '../logger';

/** Payload per job name. Add a job here and give it exactly one handler in the worker. */
export interface JobPayloads {
  'render-video': { videoId: string; tenantId: string };
  'prepare-avatar': { avatarId: string; tenantId: string };
  'deliver-webhook': { deliveryId: string; tenantId: string };
  /** Campaigns: creates the recipients' video rows and render jobs in batches (resumable). */
  'campaign-fanout': { tenantId: string; campaignId: string };
  /** One recipient's video, in its own low-priority queue (never in front of an add-in render). */
  'render-campaign': { tenantId: string; campaignId: string; recipientId: string; videoId: string };
  /** Sends a campaign's approved recipients, throttled, in slices; reschedules itself while work is left. */
  'campaign-send': { tenantId: string; campaignId: string };
  /** Decides an A/B test after its window (and sends the winner to the rest of the list when asked). */
  'campaign-ab-decide': { tenantId: string; campaignId: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: JobName[] = ['render-video', 'prepare-avatar', 'deliver-webhook', 'campaign-fanout', 'render-campaign', 'campaign-send', 'campaign-ab-decide'];

/**
 * Fetch loops per worker of the queues that do not take WORKER_CONCURRENCY: campaign renders have their own
 * slots (CAMPAIGN_RENDER_CONCURRENCY) beside the interactive renders', so an add-in render never queues behind them.
 */
export const QUEUE_SLOTS: Partial<Record<JobName, (config: { CAMPAIGN_RENDER_CONCURRENCY: number }) => number>> = {
  'render-campaign': (c) => c.CAMPAIGN_RENDER_CONCURRENCY,
  'campaign-fanout': () => 1,
  'campaign-send': () => 1,
  'campaign-ab-decide': () => 1,
};

export interface SendOptions {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  startAfter?: number | Date;
  singletonKey?: string;
  /** With singletonKey: at most one job per key in each slot of this many seconds. */
  singletonSeconds?: number;
  expireInSeconds?: number;
}

/** Retry and expiry policy of every queue (from config: JOB_EXPIRE_SECONDS, JOB_RETRY_DELAY_SECONDS, ...). */
export interface QueuePolicy {
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  maintenanceIntervalSeconds: number;
}
export const DEFAULT_QUEUE_POLICY: QueuePolicy = { retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 900, maintenanceIntervalSeconds: 30 };

/** A transaction of the application database that can also queue jobs: they exist exactly when its rows commit. */
export interface JobTransaction {
  /** The transaction; pass it to the repository writes that belong with the jobs. */
  readonly db: Kysely<DB>;
  /** Queues a job inside the transaction (rolled back with it). */
  send<N extends JobName>(name: N, data: JobPayloads[N], opts?: SendOptions): Promise<string | null>;
  /** Queues many jobs of one name in one statement inside the transaction (as JobQueue.sendMany). */
  sendMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; id?: string }[]): Promise<void>;
}

/** pg-boss on the application database (PGlite in-process or PostgreSQL). */
export class JobQueue {
  readonly boss: PgBoss;
  private started = false;
  private readonly db: Kysely<DB>;
  constructor(
    database: Database,
    private readonly log: Logger,
    readonly policy: QueuePolicy = DEFAULT_QUEUE_POLICY,
  ) {
    this.db = database.db;
    // supervise: expired active jobs (a dead worker's) are failed back to retry every maintenance interval.
    const base = { schedule: false, supervise: true, migrate: true, maintenanceIntervalSeconds: policy.maintenanceIntervalSeconds } as const;
    this.boss =
      'connectionString' in database.boss
        ? new PgBoss({ ...base, connectionString: database.boss.connectionString, max: 4 })
        : new PgBoss({ ...base, db: database.boss.db as never });
    this.boss.on('error', (e: Error) => this.log.error({ err: e }, 'queue error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    const p = this.policy;
    const options = { retryLimit: p.retryLimit, retryDelay: p.retryDelaySeconds, retryBackoff: true, expireInSeconds: p.expireInSeconds };
    for (const name of JOB_NAMES) {
      // createQueue is a no-op when the queue exists; updateQueue applies a changed policy.
      await this.boss.createQueue(name, { name, ...options });
      await this.boss.updateQueue(name, { name, ...options });
    }
    this.started = true;
  }

  /** Queues a job on its own. A job that belongs with rows being written is sent through `transaction` instead. */
  send<N extends JobName>(name: N, data: JobPayloads[N], opts: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, data as object, opts).catch((e: unknown) => Promise.reject(mapUnavailable(e)));
  }

  /**
   * Runs `fn` in one database transaction whose jobs (`tx.send`: pg-boss's insert on the transaction's connection)
   * commit with its rows or not at all: a database that goes away between a row and its job can no longer leave
   * a row waiting for a job that was never queued. Keep it short (PGlite is one session): no slow work inside.
   */
  transaction<T>(fn: (tx: JobTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => {
      const db = { executeSql: (text: string, values: unknown[] = []) => trx.executeQuery(CompiledQuery.raw(text, values)) };
      const send: JobTransaction['send'] = (name, data, opts = {}) =>
        this.boss.send(name, data as object, { ...opts, db }).catch((e: unknown) => Promise.reject(mapUnavailable(e)));
      const sendMany: JobTransaction['sendMany'] = async (name, jobs) => {
        if (jobs.length) await this.boss.insert(jobs.map((j) => ({ name, data: j.data as object, ...(j.id ? { id: j.id } : {}) })), { db }).catch((e: unknown) => Promise.reject(mapUnavailable(e)));
      };
      return fn({ db: trx, send, sendMany });
    });
  }

  /** Queues many jobs of one name in one statement (the queue's retry and expiry policy apply). */
  async sendMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; id?: string }[]): Promise<void> {
    if (jobs.length) await this.boss.insert(jobs.map((j) => ({ name, data: j.data as object, ...(j.id ? { id: j.id } : {}) })));
  }

  async ping(): Promise<void> {
    if (!this.started) throw new Error('queue not started');
    await this.boss.getQueue('render-video');
  }

  async stop(opts: { graceful?: boolean; timeout?: number } = {}): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: opts.graceful ?? true, timeout: opts.timeout ?? 30_000, wait: true });
  }
}
