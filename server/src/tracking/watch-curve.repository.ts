import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types';

/** One position report of a human page view: it has played up to `second` (furthest point of continuous playback). */
export interface PositionReport {
  tenantId: string;
  videoId: string;
  sessionId: string;
  second: number;
}

/** The only code touching watch_sessions and video_watch_curve. */
export class WatchCurveRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Moves each view's furthest second forward (never back) and the per-second histogram with it, in one
   * transaction for the whole batch: a view going from second a to b takes one viewer from a and gives one to b
   * (a new view only gives). Session rows are locked in id order and histogram rows in (video, second) order, so
   * concurrent writers (other processes) cannot deadlock. Returns the number of views whose furthest second moved.
   */
  async record(reports: PositionReport[]): Promise<number> {
    const furthest = new Map<string, PositionReport>();
    for (const r of reports) {
      const seen = furthest.get(r.sessionId);
      if (!seen || r.second > seen.second) furthest.set(r.sessionId, r);
    }
    const views = [...furthest.values()].sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
    if (!views.length) return 0;
    const ids = views.map((v) => v.sessionId);
    return this.db.transaction().execute(async (trx) => {
      // A placeholder row (-1: nothing reached yet) for new views, so the locking read below sees every view.
      await sql`
        insert into watch_sessions (session_id, tenant_id, video_id, furthest_sec)
        select s, t, v, -1 from unnest(${ids}::text[], ${views.map((v) => v.tenantId)}::uuid[], ${views.map((v) => v.videoId)}::uuid[]) as x(s, t, v)
        on conflict (session_id) do nothing`.execute(trx);
      const { rows } = await sql<{ session_id: string; video_id: string; furthest_sec: number }>`
        select session_id, video_id, furthest_sec from watch_sessions where session_id = any(${ids}::text[]) order by session_id for update`.execute(trx);
      const before = new Map(rows.map((r) => [r.session_id, r]));
      const moved: { id: string; second: number }[] = [];
      const delta = new Map<string, { tenantId: string; videoId: string; second: number; n: number }>();
      const bump = (tenantId: string, videoId: string, second: number, n: number) => {
        const k = `${videoId}|${String(second).padStart(6, '0')}`;
        const d = delta.get(k) ?? { tenantId, videoId, second, n: 0 };
        d.n += n;
        delta.set(k, d);
      };
      for (const v of views) {
        const row = before.get(v.sessionId);
        // A session id belongs to one page view of one video (it is signed into the beacon token).
        if (!row || row.video_id !== v.videoId || v.second <= row.furthest_sec) continue;
        if (row.furthest_sec >= 0) bump(v.tenantId, v.videoId, row.furthest_sec, -1);
        bump(v.tenantId, v.videoId, v.second, 1);
        moved.push({ id: v.sessionId, second: v.second });
      }
      if (!moved.length) return 0;
      await sql`
        update watch_sessions set furthest_sec = x.f, updated_at = now()
        from unnest(${moved.map((m) => m.id)}::text[], ${moved.map((m) => m.second)}::int[]) as x(id, f)
        where watch_sessions.session_id = x.id`.execute(trx);
      const d = [...delta.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v).filter((v) => v.n !== 0);
      if (d.length) {
        await sql`
          insert into video_watch_curve (video_id, second, tenant_id, viewers)
          select * from unnest(${d.map((x) => x.videoId)}::uuid[], ${d.map((x) => x.second)}::int[], ${d.map((x) => x.tenantId)}::uuid[], ${d.map((x) => x.n)}::int[])
          on conflict (video_id, second) do update set viewers = video_watch_curve.viewers + excluded.viewers`.execute(trx);
      }
      return moved.length;
    });
  }

  /** The histogram of one video: views per furthest second (at most one row per second of video). */
  histogram(tenantId: string, videoId: string) {
    return this.db
      .selectFrom('video_watch_curve')
      .select(['second', 'viewers'])
      .where('tenant_id', '=', tenantId)
      .where('video_id', '=', videoId)
      .where('viewers', '>', 0)
      .orderBy('second')
      .execute();
  }

  /** Forgets view rows not moved since `before` (their beacon tokens have expired, so they can never move again). */
  async prune(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('watch_sessions').where('updated_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
