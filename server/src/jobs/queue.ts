import PgBoss from 'pg-boss';
import type { Database } from '../db/database';
import type { Logger } from '../logger';

/** Payload per job name. Add a job here and give it exactly one handler in the worker. */
export interface JobPayloads {
  'render-video': { videoId: string; tenantId: string };
  'prepare-avatar': { avatarId: string; tenantId: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES: JobName[] = ['render-video', 'prepare-avatar'];

export interface SendOptions {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  startAfter?: number | Date;
  singletonKey?: string;
  expireInSeconds?: number;
}

/** pg-boss on the application database (PGlite in-process or PostgreSQL). */
export class JobQueue {
  readonly boss: PgBoss;
  private started = false;
  constructor(database: Database, private readonly log: Logger) {
    const base = { schedule: false, supervise: true, migrate: true } as const;
    this.boss =
      'connectionString' in database.boss
        ? new PgBoss({ ...base, connectionString: database.boss.connectionString, max: 4 })
        : new PgBoss({ ...base, db: database.boss.db as never });
    this.boss.on('error', (e: Error) => this.log.error({ err: e }, 'queue error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    for (const name of JOB_NAMES) {
      await this.boss.createQueue(name, { name, retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 900 });
    }
    this.started = true;
  }

  send<N extends JobName>(name: N, data: JobPayloads[N], opts: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, data as object, opts);
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
