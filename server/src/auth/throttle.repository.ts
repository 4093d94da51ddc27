import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Failed-attempt counters (auth_throttle), shared by every API process through the database. */
export class ThrottleRepository {
  constructor(private readonly db: Kysely<DB>) {}

  get(keys: string[]) {
    if (!keys.length) return Promise.resolve([]);
    return this.db.selectFrom('auth_throttle').selectAll().where('key', 'in', keys).execute();
  }

  /** Counts one failure (a new window when the last one started before `windowStart`); returns the count. */
  async addFailure(key: string, now: Date, windowStart: Date): Promise<number> {
    const r = await this.db
      .insertInto('auth_throttle')
      .values({ key, failures: 1, window_start: now, last_failure_at: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when auth_throttle.window_start < ${windowStart} then 1 else auth_throttle.failures + 1 end`,
          window_start: sql<Date>`case when auth_throttle.window_start < ${windowStart} then ${now} else auth_throttle.window_start end`,
          last_failure_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(r.failures);
  }

  setWaits(key: string, set: { next_allowed_at: Date | null; locked_until?: Date | null }) {
    return this.db.updateTable('auth_throttle').set(set).where('key', '=', key).execute();
  }

  clear(key: string) {
    return this.db.deleteFrom('auth_throttle').where('key', '=', key).execute();
  }

  /** Drops counters that no longer hold anyone back. */
  prune(before: Date, now: Date) {
    return this.db
      .deleteFrom('auth_throttle')
      .where('last_failure_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  }
}
