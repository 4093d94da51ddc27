import { Badge, Body1, Caption1, makeStyles, tokens, type BadgeProps } from '@fluentui/react-components';
import { formatDuration } from '@mvs/shared/i18n/i18n';
import { useEffect, useState } from 'react';
import type { Video } from '@mvs/shared/api/api-types';
import type { ItemMode } from '../../office/mailbox';
import { useI18n, useServices } from '../services';
import { InsertVideo } from './InsertVideo';
import { Section } from './Section';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, paddingBottom: tokens.spacingVerticalS, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  title: { flexGrow: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const COLOR: Record<Video['status'], BadgeProps['color']> = {
  queued: 'informative',
  rendering: 'brand',
  completed: 'success',
  failed: 'danger',
  canceled: 'subtle',
};

/** The user's latest videos with their status; finished ones can be inserted again. */
export default function RecentVideos({ mode, fail, refreshKey }: { mode: ItemMode; fail(e: unknown): string; refreshKey?: string }) {
  const styles = useStyles();
  const { api } = useServices();
  const { t, locale } = useI18n();
  const [videos, setVideos] = useState<Video[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.recentVideos(5).then((p) => setVideos(p.items), (e: unknown) => setError(fail(e)));
  }, [api, fail, refreshKey]);

  return (
    <Section title={t('recent.title')}>
      {error && <Body1>{error}</Body1>}
      {videos?.length === 0 && <Body1 className={styles.muted}>{t('recent.empty')}</Body1>}
      <ul className={styles.list}>
        {(videos ?? []).map((v) => (
          <li key={v.id} className={styles.row}>
            <div className={styles.head}>
              <Body1 className={styles.title}>{v.title || t('recent.untitled')}</Body1>
              <Badge appearance="tint" color={COLOR[v.status]}>
                {t(`recent.status.${v.status}`)}
              </Badge>
            </div>
            <Caption1 className={styles.muted}>
              {new Date(v.created_at).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' })}
              {v.duration_sec ? ` · ${formatDuration(v.duration_sec)}` : ''}
            </Caption1>
            {v.status === 'completed' && (
              <div>
                <InsertVideo video={v} mode={mode} fail={fail} size="small" />
              </div>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
