import type { Video } from '@mvs/shared/schemas/videos';
import type { Storage } from '../storage/storage';
import type { VideoRow } from './videos.repository';

/** How long the signed file URLs in a Video stay valid. */
export const SIGNED_URL_SECONDS = 6 * 3600;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const sign = (storage: Storage, key: string | null) => (key ? storage.signedUrl(key, SIGNED_URL_SECONDS) : Promise.resolve(null));

/** The public JSON of a video, with signed, expiring file URLs and the watch-page URL. */
export async function toVideoDto(v: VideoRow, storage: Storage, publicUrl: string): Promise<Video> {
  const [video_url, poster_url, gif_url] = await Promise.all([sign(storage, v.video_key), sign(storage, v.poster_key), sign(storage, v.gif_key)]);
  return {
    id: v.id,
    avatar_id: v.avatar_id,
    title: v.title,
    script: v.script,
    language: v.language,
    renderer: v.renderer,
    format: v.format,
    status: v.status,
    progress: v.progress,
    stage: v.stage,
    error: v.error,
    error_code: v.error_code,
    duration_sec: v.duration_sec,
    width: v.width,
    height: v.height,
    video_bytes: v.video_bytes,
    poster_bytes: v.poster_bytes,
    gif_bytes: v.gif_bytes,
    video_url,
    poster_url,
    gif_url,
    watch_url: `${publicUrl.replace(/\/$/, '')}/v/${v.slug}`,
    slug: v.slug,
    cta_label: v.cta_label,
    cta_url: v.cta_url,
    attempts: v.attempts,
    created_at: v.created_at.toISOString(),
    updated_at: iso(v.updated_at) ?? v.created_at.toISOString(),
    completed_at: iso(v.completed_at),
  };
}
