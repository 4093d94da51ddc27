import type { Classification, TrackEventType } from '../db/tables/tracking';

/** The counter columns of video_stats, in a fixed order. */
export const STAT_COLUMNS = [
  'delivered', 'opens_human', 'opens_machine', 'opens_unknown', 'clicks_human', 'clicks_machine', 'clicks_unknown',
  'plays', 'reached_25', 'reached_50', 'reached_75', 'reached_100', 'completions', 'cta_clicks', 'machine_beacons',
] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];
export type Counters = Record<StatColumn, number>;

export const MILESTONES = [25, 50, 75, 100] as const;

export const zeroCounters = (): Counters => Object.fromEntries(STAT_COLUMNS.map((c) => [c, 0])) as Counters;

/** An event as stored (after dedup), enough to compute aggregate deltas. */
export interface StoredEvent {
  tenant_id: string;
  video_id: string;
  recipient_id: string | null;
  type: TrackEventType | 'delivered';
  value: number | null;
  classification: Classification;
  created_at: Date;
}

export interface StatDelta {
  tenant_id: string;
  video_id: string;
  scope: string;
  day: string | null;
  recipient_id: string | null;
  counters: Counters;
}

/** Which counter one event moves; beacons only count for people, the rest land in machine_beacons. */
export function counterFor(e: Pick<StoredEvent, 'type' | 'value' | 'classification'>): StatColumn | null {
  if (e.type === 'delivered') return 'delivered';
  if (e.type === 'open') return `opens_${e.classification}`;
  if (e.type === 'click') return `clicks_${e.classification}`;
  if (e.classification !== 'human') return 'machine_beacons';
  if (e.type === 'play') return 'plays';
  if (e.type === 'complete') return 'completions';
  if (e.type === 'cta') return 'cta_clicks';
  if (e.type === 'progress' && MILESTONES.includes(e.value as 25)) return `reached_${e.value as 25 | 50 | 75 | 100}`;
  return null;
}

/** Folds events into per-scope deltas: 'all', 'd:<UTC day>', and 'r:<recipient>' or 'link'. Sorted for stable lock order. */
export function statDeltas(events: StoredEvent[]): StatDelta[] {
  const out = new Map<string, StatDelta>();
  const bump = (e: StoredEvent, scope: string, col: StatColumn, day: string | null, recipientId: string | null) => {
    const key = `${e.video_id}|${scope}`;
    let d = out.get(key);
    if (!d) {
      d = { tenant_id: e.tenant_id, video_id: e.video_id, scope, day, recipient_id: recipientId, counters: zeroCounters() };
      out.set(key, d);
    }
    d.counters[col] += 1;
  };
  for (const e of events) {
    const col = counterFor(e);
    if (!col) continue;
    const day = e.created_at.toISOString().slice(0, 10);
    bump(e, 'all', col, null, null);
    bump(e, `d:${day}`, col, day, null);
    if (e.recipient_id) bump(e, `r:${e.recipient_id}`, col, null, e.recipient_id);
    else bump(e, 'link', col, null, null);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

/** Watch-% view of counters: buckets are exclusive ranges of the furthest milestone reached per human play. */
export function watchSummary(c: Counters) {
  const r = [c.plays, c.reached_25, c.reached_50, c.reached_75, c.reached_100];
  const clamp = (n: number) => Math.max(0, n);
  const distribution = [
    { bucket: '0-24' as const, count: clamp(r[0]! - r[1]!) },
    { bucket: '25-49' as const, count: clamp(r[1]! - r[2]!) },
    { bucket: '50-74' as const, count: clamp(r[2]! - r[3]!) },
    { bucket: '75-99' as const, count: clamp(r[3]! - r[4]!) },
    { bucket: '100' as const, count: clamp(r[4]!) },
  ];
  // Each play counts the lower bound of its bucket, so the average never overstates attention.
  const average = c.plays ? Math.min(100, (25 * (c.reached_25 + c.reached_50 + c.reached_75 + c.reached_100)) / c.plays) : 0;
  return { average_pct: Math.round(average * 10) / 10, distribution };
}
