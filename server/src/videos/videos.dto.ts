import type { Video } from '@mvs/shared/schemas/videos';
import type { Storage } from '../storage/storage';
import type { VideoRow } from './videos.repository';

/** How long the signed file URLs in a Video stay valid. */
export const SIGNED_URL_SECONDS = 6 * 3600;

/** The columns a Video is built from: lists select only these (no tenant/owner ids, options or internal timestamps). */
export const VIDEO_DTO_COLUMNS = [
  'id',
  'avatar_id',
  'title',
  'script',
  'language',
  'renderer',
  'format',
  'status',
  'progress',
  'stage',
  'error',
  'error_code',
  'duration_sec',
  'width',
  'height',
  'video_bytes',
  'poster_bytes',
  'gif_bytes',
  'video_key',
  'poster_key',
  'gif_key',
  'slug',
  'cta_label',
  'cta_url',
  'attempts',
  'created_at',
  'updated_at',
  'completed_at',
] as const satisfies readonly (keyof VideoRow)[];

export type VideoDtoRow = Pick<VideoRow, (typeof VIDEO_DTO_COLUMNS)[number]>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The public JSON of a video, with signed, expiring file URLs and the watch-page URL. */
export async function toVideoDto(v: VideoDtoRow, storage: Storage, publicUrl: string): Promise<Video> {
  return (await toVideoDtos([v], storage, publicUrl))[0]!;
}

/** Many videos at once (list pages): one signing round for the whole page; rows without files sign nothing. */
export async function toVideoDtos(rows: readonly VideoDtoRow[], storage: Storage, publicUrl: string): Promise<Video[]> {
  const base = publicUrl.endsWith('/') ? publicUrl.slice(0, -1) : publicUrl;
  const pending: Promise<string>[] = [];
  const slots: number[] = [];
  const urls: (string | null)[] = new Array<string | null>(rows.length * 3).fill(null);
  rows.forEach((v, i) => {
    [v.video_key, v.poster_key, v.gif_key].forEach((key, j) => {
      if (!key) return;
      pending.push(storage.signedUrl(key, SIGNED_URL_SECONDS));
      slots.push(i * 3 + j);
    });
  });
  if (pending.length) (await Promise.all(pending)).forEach((url, k) => (urls[slots[k]!] = url));
  return rows.map((v, i) => build(v, [urls[i * 3] ?? null, urls[i * 3 + 1] ?? null, urls[i * 3 + 2] ?? null], base));
}

function build(v: VideoDtoRow, [video_url, poster_url, gif_url]: readonly [string | null, string | null, string | null], base: string): Video {
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
    watch_url: `${base}/v/${v.slug}`,
    slug: v.slug,
    cta_label: v.cta_label,
    cta_url: v.cta_url,
    attempts: v.attempts,
    created_at: v.created_at.toISOString(),
    updated_at: iso(v.updated_at) ?? v.created_at.toISOString(),
    completed_at: iso(v.completed_at),
  };
}
