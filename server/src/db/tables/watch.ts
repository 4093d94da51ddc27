import type { Generated } from 'kysely';
import type { Timestamp } from './core';

/** The furthest second one human page view (beacon session) has reached. */
export interface WatchSessionsTable {
  session_id: string;
  tenant_id: string;
  video_id: string;
  furthest_sec: number;
  updated_at: Timestamp;
}

/** Per video and second: how many human views stopped there (their furthest second). */
export interface VideoWatchCurveTable {
  video_id: string;
  second: number;
  tenant_id: string;
  viewers: Generated<number>;
}

// Tables owned by the watch-through curve (tracking/watch-curve*).
export interface WatchTables {
  watch_sessions: WatchSessionsTable;
  video_watch_curve: VideoWatchCurveTable;
}
