import { Badge, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Video } from '@mvs/shared/api/api-types';
import type { ProgressUpdate } from '@mvs/shared/api/video-progress';
import { useI18n, type PortalKey, type T } from '../app/i18n';

const STAGES: Record<string, PortalKey> = {
  tts: 'video.stage.tts',
  prepare: 'video.stage.prepare',
  encode: 'video.stage.encode',
  thumbnails: 'video.stage.thumbnails',
  upload: 'video.stage.upload',
};

/** Words for a render stage ("Making the voice"), "Waiting to start" before a worker takes it. */
export function stageLabel(u: Pick<ProgressUpdate, 'status' | 'stage'>, t: T): string {
  if (u.status === 'completed') return t('video.status.completed');
  const key = u.stage ? STAGES[u.stage] : undefined;
  if (key) return t(key);
  return t('video.stage.queued');
}

const COLOR: Record<Video['status'], 'success' | 'danger' | 'informative' | 'warning' | 'subtle'> = {
  completed: 'success',
  failed: 'danger',
  queued: 'informative',
  rendering: 'warning',
  canceled: 'subtle',
};

const useStyles = makeStyles({ bar: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '160px' }, label: { fontSize: tokens.fontSizeBase200 } });

/** A status badge, or a live progress bar with the stage's name while the video renders. */
export function VideoStatus({ video, live }: { video: Pick<Video, 'status' | 'stage' | 'progress'>; live?: ProgressUpdate }) {
  const { t } = useI18n();
  const s = useStyles();
  const u = live ?? video;
  if (u.status === 'queued' || u.status === 'rendering') {
    const label = `${stageLabel(u, t)} · ${u.progress}%`;
    return (
      <span className={s.bar}>
        <ProgressBar value={u.progress / 100} thickness="large" aria-label={label} />
        <Text className={s.label}>{label}</Text>
      </span>
    );
  }
  return (
    <Badge appearance="tint" color={COLOR[u.status]}>
      {t(`video.status.${u.status}`)}
    </Badge>
  );
}
