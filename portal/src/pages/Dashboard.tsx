import { Button, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Overview } from '@mvs/shared/api/api-types';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../app/i18n';
import { useNotificationStream } from '../app/notifications';
import { linkProps } from '../app/router';
import { AppLink as Link } from '../components/AppLink';
import { useAsync, useServices } from '../app/services';
import { ActivityChart, OpensChart } from '../components/charts/DashboardCharts';
import { EmptyState, ErrorBar, Loading, PageHeader, Section } from '../components/ui';

const useStyles = makeStyles({
  kpis: { listStyle: 'none', margin: `0 0 ${tokens.spacingVerticalL} 0`, padding: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: tokens.spacingHorizontalM },
  kpi: { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, padding: tokens.spacingHorizontalL },
  kpiValue: { display: 'block', fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold },
  kpiLabel: { display: 'block', color: tokens.colorNeutralForeground2 },
  kpiSub: { display: 'block', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: tokens.spacingHorizontalL },
  explain: { display: 'block', color: tokens.colorNeutralForeground2, marginTop: tokens.spacingVerticalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  poster: { width: '40px', height: '64px', objectFit: 'cover', borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground3 },
  grow: { flexGrow: 1, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  live: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
});

type Days = 7 | 30 | 90;

/** Human plays, watch %, CTA clicks, human vs machine opens, top videos and the latest viewers (live). */
export function Dashboard() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can } = useServices();
  const [days, setDays] = useState<Days>(30);
  const [live, setLive] = useState(0);
  const [, tick] = useState(0);
  const overview = useAsync((signal) => api.overview(days, signal), [api, days]);

  // A new first view arrives over SSE: fetch the numbers again (the stream says who; the overview says how far).
  const onNotification = useCallback(() => {
    setLive((n) => n + 1);
    overview.reload();
  }, [overview]);
  useNotificationStream(api, onNotification);
  // "2 min ago" moves on by itself.
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  const o: Overview | undefined = overview.data;
  const period = (
    <TabList selectedValue={String(days)} onTabSelect={(_, d) => setDays(Number(d.value) as Days)} aria-label={t('dashboard.period')}>
      {([7, 30, 90] as const).map((d) => (
        <Tab key={d} value={String(d)}>
          {t('dashboard.lastDays', { n: d })}
        </Tab>
      ))}
    </TabList>
  );

  return (
    <>
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} actions={period} />
      {overview.error ? <ErrorBar error={overview.error} onRetry={overview.reload} /> : null}
      {!o && overview.loading ? <Loading /> : null}
      {o ? (
        <>
          <ul className={s.kpis} aria-label={t('dashboard.summary')}>
            <Kpi label={t('dashboard.humanPlays')} value={f.number(o.totals.plays)} />
            <Kpi label={t('dashboard.avgWatch')} value={f.percent(o.totals.average_watch_pct)} />
            <Kpi label={t('dashboard.ctaClicks')} value={f.number(o.totals.cta_clicks)} />
            <Kpi label={t('dashboard.opensHuman')} value={f.number(o.totals.opens_human)} sub={t('dashboard.machineOpensSub', { n: f.number(o.totals.opens_machine) })} />
          </ul>
          {o.totals.plays + o.totals.opens_human + o.totals.opens_machine + o.totals.delivered === 0 ? (
            <EmptyState
              title={t('dashboard.emptyTitle')}
              action={
                can.write ? (
                  <Button appearance="primary" as="a" {...linkProps('/videos')}>
                    {t('dashboard.emptyAction')}
                  </Button>
                ) : undefined
              }
            >
              {t('dashboard.emptyBody')}
            </EmptyState>
          ) : (
            <div className={s.grid}>
              <Section id="activity" title={t('dashboard.activityTitle')}>
                <ActivityChart daily={o.daily} />
              </Section>
              <Section id="opens" title={t('dashboard.opensTitle')}>
                <OpensChart daily={o.daily} />
                <Text className={s.explain}>{t('dashboard.machineExplain')}</Text>
              </Section>
            </div>
          )}
          <div className={s.grid}>
            <Section id="top" title={t('dashboard.topVideos')}>
              {o.top_videos.length ? (
                <ol className={s.list}>
                  {o.top_videos.map((v) => (
                    <li key={v.video_id} className={s.row}>
                      {v.poster_url ? <img className={s.poster} src={v.poster_url} alt="" /> : <span className={s.poster} aria-hidden="true" />}
                      <span className={s.grow}>
                        <Link to={`/videos/${v.video_id}`}>{v.title}</Link>
                        <Text block className={s.muted}>
                          {t('dashboard.topLine', { plays: f.number(v.plays), watch: f.percent(v.average_watch_pct), cta: f.number(v.cta_clicks) })}
                        </Text>
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <Text className={s.muted}>{t('dashboard.noTop')}</Text>
              )}
            </Section>
            <Section id="recent" title={t('dashboard.recentViewers')} actions={live ? <Text className={s.live}>{t('dashboard.liveNew', { n: live })}</Text> : undefined}>
              {o.recent_viewers.length ? (
                <ul className={s.list} aria-live="polite">
                  {o.recent_viewers.map((r, i) => (
                    <li key={`${r.video_id}-${r.at}-${i}`}>
                      <Text block>
                        {t('dashboard.viewerLine', { who: r.name || r.email || t('dashboard.someone'), pct: f.percent(r.watched_pct), when: f.ago(r.at) })}
                      </Text>
                      <Link to={`/videos/${r.video_id}`} className={s.muted}>
                        {r.video_title}
                      </Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <Text className={s.muted}>{t('dashboard.noViewers')}</Text>
              )}
            </Section>
          </div>
        </>
      ) : null}
    </>
  );
}

function Kpi({ label, value, sub }: { label: string; value: string; sub?: string }) {
  const s = useStyles();
  return (
    <li className={s.kpi}>
      <Text className={s.kpiLabel}>{label}</Text>
      <Text className={s.kpiValue}>{value}</Text>
      {sub ? <Text className={s.kpiSub}>{sub}</Text> : null}
    </li>
  );
}
