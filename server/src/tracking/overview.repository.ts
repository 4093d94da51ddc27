import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Whose videos a dashboard covers: the workspace's, or one owner's. */
export interface OverviewScope {
  tenantId: string;
  ownerId: string | null;
}

const sum = (col: string) => sql<number>`coalesce(sum(${sql.ref(`s.${col}`)}), 0)::int`;

/** Dashboard queries over the aggregates (video_stats day rows) and the latest human plays; always by tenant. */
export class OverviewRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private stats(scope: OverviewScope, fromDay: string) {
    let q = this.db
      .selectFrom('video_stats as s')
      .innerJoin('videos as v', (j) => j.onRef('v.id', '=', 's.video_id').on('v.tenant_id', '=', scope.tenantId))
      .where('s.tenant_id', '=', scope.tenantId)
      .where('s.day', 'is not', null)
      .where('s.day', '>=', fromDay);
    if (scope.ownerId) q = q.where('v.owner_id', '=', scope.ownerId);
    return q;
  }

  /** Counter sums per UTC day from `fromDay` on (days without activity are absent). */
  daily(scope: OverviewScope, fromDay: string) {
    return this.stats(scope, fromDay)
      .select([
        sql<string>`to_char(s.day, 'YYYY-MM-DD')`.as('day'),
        sum('delivered').as('delivered'),
        sum('opens_human').as('opens_human'),
        sum('opens_machine').as('opens_machine'),
        sum('opens_unknown').as('opens_unknown'),
        sum('clicks_human').as('clicks_human'),
        sum('clicks_machine').as('clicks_machine'),
        sum('plays').as('plays'),
        sum('reached_25').as('reached_25'),
        sum('reached_50').as('reached_50'),
        sum('reached_75').as('reached_75'),
        sum('reached_100').as('reached_100'),
        sum('completions').as('completions'),
        sum('cta_clicks').as('cta_clicks'),
      ])
      .groupBy('s.day')
      .orderBy('s.day')
      .execute();
  }

  /** Live videos with the most human plays in the period (then human opens), with what a card shows. */
  topVideos(scope: OverviewScope, fromDay: string, limit: number) {
    return this.stats(scope, fromDay)
      .where('v.deleted_at', 'is', null)
      .select([
        'v.id',
        'v.title',
        sql<string>`left(v.script, 120)`.as('script'),
        'v.poster_key',
        'v.duration_sec',
        sum('plays').as('plays'),
        sum('reached_25').as('reached_25'),
        sum('reached_50').as('reached_50'),
        sum('reached_75').as('reached_75'),
        sum('reached_100').as('reached_100'),
        sum('cta_clicks').as('cta_clicks'),
        sum('opens_human').as('opens_human'),
      ])
      .groupBy(['v.id', 'v.title', 'v.script', 'v.poster_key', 'v.duration_sec'])
      .having(sql<boolean>`sum(s.plays) + sum(s.opens_human) + sum(s.clicks_human) > 0`)
      .orderBy(sql`sum(s.plays)`, 'desc')
      .orderBy(sql`sum(s.opens_human)`, 'desc')
      .orderBy('v.id')
      .limit(limit)
      .execute();
  }

  /** The latest human plays of live videos, with the recipient when the link was personal. */
  recentPlays(scope: OverviewScope, limit: number) {
    let q = this.db
      .selectFrom('tracking_events as e')
      .innerJoin('videos as v', (j) => j.onRef('v.id', '=', 'e.video_id').on('v.tenant_id', '=', scope.tenantId))
      .leftJoin('video_recipients as r', (j) => j.onRef('r.id', '=', 'e.recipient_id').on('r.tenant_id', '=', scope.tenantId))
      .where('e.tenant_id', '=', scope.tenantId)
      .where('e.type', '=', 'play')
      .where('e.classification', '=', 'human')
      .where('v.deleted_at', 'is', null);
    if (scope.ownerId) q = q.where('v.owner_id', '=', scope.ownerId);
    return q
      .select(['e.video_id', 'e.recipient_id', 'e.session_id', 'e.created_at', 'v.title', sql<string>`left(v.script, 120)`.as('script'), 'r.name', 'r.email'])
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The furthest human progress milestone (100 for a completion) per viewing session of the given videos. */
  async furthest(tenantId: string, videoIds: string[], sessionIds: string[]): Promise<Map<string, number>> {
    if (!sessionIds.length) return new Map();
    const rows = await this.db
      .selectFrom('tracking_events')
      .select(['session_id', sql<number>`max(case when type = 'complete' then 100 else coalesce(value, 0) end)::int`.as('pct')])
      .where('tenant_id', '=', tenantId)
      .where('video_id', 'in', videoIds)
      .where('session_id', 'in', sessionIds)
      .where('type', 'in', ['progress', 'complete'])
      .where('classification', '=', 'human')
      .groupBy('session_id')
      .execute();
    return new Map(rows.map((r) => [r.session_id!, Number(r.pct)]));
  }
}
