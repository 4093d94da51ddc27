import type { Video } from '../api/api-types';
import { formatDuration, translator, type Locale } from '../i18n/i18n';
import { buildVideoBlock, type VideoBlock } from './video-block';

/** Display box for the thumbnail in an email: at most 480 px wide and 400 px high, aspect kept. */
const MAX_W = 480;
const MAX_H = 400;

export function thumbnailSize(width: number | null, height: number | null): { width: number; height: number } {
  const w = width && width > 0 ? width : 16;
  const h = height && height > 0 ? height : 9;
  const scale = Math.min(MAX_W / w, MAX_H / h);
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

/**
 * The block inserted into an email for a finished video (the add-in's insert, the portal's "copy email snippet"): the public poster (play button baked in) linked
 * to the watch page, plus a text link. Written in the video's language, since the recipient reads it.
 */
export function videoInsertBlock(video: Pick<Video, 'watch_url' | 'title' | 'duration_sec' | 'width' | 'height' | 'language'>): VideoBlock {
  const locale: Locale = video.language === 'vi' ? 'vi' : 'en';
  const t = translator(locale);
  const duration = formatDuration(video.duration_sec ?? 0);
  const title = video.title?.trim() || t('block.defaultTitle');
  const { width, height } = thumbnailSize(video.width, video.height);
  return buildVideoBlock({
    watchUrl: video.watch_url,
    imageUrl: `${video.watch_url}/poster.jpg`,
    width,
    height,
    alt: t('block.alt', { title, duration }),
    linkText: t('block.link', { duration }),
    client: 'outlook',
  });
}
