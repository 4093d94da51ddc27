import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { TrackingEventsTable } from '../db/tables/tracking';
import { STAT_COLUMNS, statDeltas, type StatDelta, type StoredEvent } from './stats';

/** One event ready to store (already classified, IP already hashed): a row without its generated columns. */
export type NewEvent = Omit<Selectable<TrackingEventsTable>, 'id' | 'created_at'>;

export interface WriteResult {
  stored: (StoredEvent & { session_id: string | null })[];
  /** Scopes whose human play counter went from 0 to positive in this write. */
  firstPlays: { tenant_id: string; video_id: string; recipient_id: string | null; scope: string }[];
}

/** Writes events and their aggregates in one short transaction; the only code touching tracking_events. */
export class TrackingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async write(events: NewEvent[]): Promise<WriteResult> {
    return this.db.transaction().execute(async (trx) => {
      // One statement of constant text whatever the batch size: columns travel as 11 arrays (cheap to compile and send).
      // Duplicates (same dedup_key: a milestone already counted for this view session) are skipped here.
      const col = <K extends keyof NewEvent>(k: K) => events.map((e) => e[k]);
      const { rows: stored } = await sql<WriteResult['stored'][number]>`
        insert into tracking_events (tenant_id, video_id, recipient_id, session_id, type, value, classification, reason, ip_hash, user_agent, dedup_key)
        select * from unnest(${col('tenant_id')}::uuid[], ${col('video_id')}::uuid[], ${col('recipient_id')}::uuid[], ${col('session_id')}::text[],
          ${col('type')}::text[], ${col('value')}::smallint[], ${col('classification')}::text[], ${col('reason')}::text[], ${col('ip_hash')}::text[],
          ${col('user_agent')}::text[], ${col('dedup_key')}::text[])
        on conflict (dedup_key) do nothing
        returning tenant_id, video_id, recipient_id, session_id, type, value, classification, created_at`.execute(trx);
      const firstPlays = await this.applyDeltas(trx, statDeltas(stored));
      return { stored, firstPlays };
    });
  }

  /**
   * Stores events that happened earlier (demo data, imports), each with its own time, and folds them into the same
   * aggregates as live events (per day of the event). Deliveries (`type: 'delivered'`) only move the aggregates.
   */
  async importEvents(events: (Omit<NewEvent, 'type'> & { type: NewEvent['type'] | 'delivered'; created_at: Date })[]): Promise<void> {
    if (!events.length) return;
    await this.db.transaction().execute(async (trx) => {
      const stored = events.filter((e): e is typeof e & { type: NewEvent['type'] } => e.type !== 'delivered');
      if (stored.length) await trx.insertInto('tracking_events').values(stored).execute();
      await this.applyDeltas(trx, statDeltas(events));
    });
  }

  /** Adds a delivery to the aggregates of a recipient (called when the email is sent). */
  async addDelivered(e: { tenant_id: string; video_id: string; recipient_id: string }, at: Date, q: Kysely<DB> | Transaction<DB> = this.db) {
    await this.applyDeltas(q, statDeltas([{ ...e, type: 'delivered', value: null, classification: 'human', created_at: at }]));
  }

  private async applyDeltas(q: Kysely<DB> | Transaction<DB>, deltas: StatDelta[]): Promise<WriteResult['firstPlays']> {
    if (!deltas.length) return [];
    const rows = deltas.map((d) => ({ video_id: d.video_id, scope: d.scope, tenant_id: d.tenant_id, day: d.day, recipient_id: d.recipient_id, ...d.counters }));
    const set = Object.fromEntries(STAT_COLUMNS.map((c) => [c, sql`video_stats.${sql.ref(c)} + excluded.${sql.ref(c)}`]));
    const updated = await q
      .insertInto('video_stats')
      .values(rows)
      .onConflict((oc) => oc.columns(['video_id', 'scope']).doUpdateSet({ ...set, updated_at: sql`now()` }))
      .returning(['tenant_id', 'video_id', 'scope', 'recipient_id', 'plays'])
      .execute();
    const byKey = new Map(deltas.map((d) => [`${d.video_id}|${d.scope}`, d]));
    return updated
      .filter((u) => (u.scope === 'link' || u.scope.startsWith('r:')) && u.plays > 0 && u.plays === byKey.get(`${u.video_id}|${u.scope}`)?.counters.plays)
      .map((u) => ({ tenant_id: u.tenant_id, video_id: u.video_id, recipient_id: u.recipient_id, scope: u.scope }));
  }

  countEvents(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('tracking_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('video_id', '=', videoId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }
}
