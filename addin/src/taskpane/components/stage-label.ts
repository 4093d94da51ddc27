import type { MessageKey, Translate } from '@mvs/shared/i18n/i18n';
import type { ProgressUpdate } from '@mvs/shared/api/video-progress';

const STAGES: Record<string, MessageKey> = {
  tts: 'video.stage.tts',
  prepare: 'video.stage.prepare',
  encode: 'video.stage.encode',
  thumbnails: 'video.stage.thumbnails',
  upload: 'video.stage.upload',
};

/** Words for a render stage; "waiting" before the worker picks the job up, "done" at the end. */
export function stageLabel(u: ProgressUpdate, t: Translate): string {
  if (u.status === 'completed') return t('video.stage.completed');
  const key = u.stage ? STAGES[u.stage] : undefined;
  if (key) return t(key);
  return u.status === 'queued' || !u.stage ? t('video.stage.queued') : u.stage;
}
