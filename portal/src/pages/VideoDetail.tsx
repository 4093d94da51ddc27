import {
  Button,
  Field,
  Input,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Video, VideoAnalytics } from '@mvs/shared/api/api-types';
import { followVideo, type ProgressUpdate } from '@mvs/shared/api/video-progress';
import { videoInsertBlock } from '@mvs/shared/email/video-snippet';
import { formatDuration } from '@mvs/shared/i18n/i18n';
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../app/i18n';
import { navigateAfterDialog } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { ConfirmButton } from '../components/Confirm';
import { ErrorBar, Loading, Notice, PageHeader, Section } from '../components/ui';
import { VideoStatus } from '../components/VideoStatus';

const WatchCurveChart = lazy(() => import(/* webpackChunkName: "charts-curve" */ '../components/charts/WatchCurveChart').then((m) => ({ default: m.WatchCurveChart })));

const useStyles = makeStyles({
  top: { display: 'grid', gridTemplateColumns: 'minmax(220px, 320px) 1fr', gap: tokens.spacingHorizontalXL, alignItems: 'start' },
  player: { width: '100%', borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralForeground1 },
  placeholder: { aspectRatio: '9 / 16', display: 'flex', alignItems: 'center', justifyContent: 'center', borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralBackground4, padding: tokens.spacingHorizontalL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', margin: `${tokens.spacingVerticalM} 0` },
  script: { whiteSpace: 'pre-wrap' },
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM },
  kpi: { display: 'flex', flexDirection: 'column' },
  kpiValue: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
  form: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap', marginTop: tokens.spacingVerticalM },
  dl: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, margin: 0 },
  dt: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0 },
  recipientCol: { width: '28%' },
  email: { color: tokens.colorNeutralForeground2, wordBreak: 'break-all' },
});

type Curve = { x: number; pct: number }[];

/** The server's watch-through curve when it has human viewers; otherwise (older views) the 25/50/75/100 % milestones. */
function curveOf(a: VideoAnalytics): { points: Curve; unit: 'second' | 'percent' } | null {
  if (a.watch_curve.viewers > 0 && a.watch_curve.points.length) return { points: a.watch_curve.points.map((p) => ({ x: p.second, pct: p.still_watching_pct })), unit: 'second' };
  const c = a.totals;
  if (!c.plays) return null;
  const pct = (n: number) => Math.round((1000 * n) / c.plays) / 10;
  return { points: [{ x: 0, pct: 100 }, { x: 25, pct: pct(c.reached_25) }, { x: 50, pct: pct(c.reached_50) }, { x: 75, pct: pct(c.reached_75) }, { x: 100, pct: pct(c.reached_100) }], unit: 'percent' };
}

/** One video: player, live progress, snippet, delete; its analytics (watch-through curve, recipients, CSV). */
export function VideoDetail({ params }: { params: Record<string, string> }) {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can } = useServices();
  const id = params.id!;
  const video = useAsync(() => api.video(id), [api, id]);
  const [live, setLive] = useState<ProgressUpdate | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const v: Video | undefined = video.data;
  const rendering = v && (v.status === 'queued' || v.status === 'rendering');
  const setVideo = video.setData;

  useEffect(() => {
    if (!rendering) return;
    const ctrl = new AbortController();
    followVideo(api, id, setLive, ctrl.signal)
      .then((done) => !ctrl.signal.aborted && setVideo(done))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [api, id, rendering, setVideo]);

  const analytics = useAsync(() => (v?.status === 'completed' ? api.videoAnalytics(id) : Promise.resolve(null)), [api, id, v?.status]);

  if (video.error) return <ErrorBar error={video.error} onRetry={video.reload} />;
  if (!v) return <Loading />;

  const copySnippet = async () => {
    const block = videoInsertBlock(v);
    try {
      await navigator.clipboard.write([new ClipboardItem({ 'text/html': new Blob([block.html], { type: 'text/html' }), 'text/plain': new Blob([block.text], { type: 'text/plain' }) })]);
      setNotice(t('video.snippetCopied'));
    } catch {
      await navigator.clipboard.writeText(block.html).then(
        () => setNotice(t('video.snippetCopied')),
        (e: unknown) => setError(e),
      );
    }
  };
  const exportCsv = async () => {
    try {
      const csv = await api.videoAnalyticsCsv(id);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `video-${id}-analytics.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e);
    }
  };

  const a = analytics.data;
  const curve = a ? curveOf(a) : null;
  return (
    <>
      <PageHeader title={v.title || t('videos.untitled')} subtitle={<AppLink to="/videos">{t('video.back')}</AppLink>} />
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <div className={s.top}>
        <div>
          {v.status === 'completed' && v.video_url ? (
            <video className={s.player} src={v.video_url} poster={v.poster_url ?? undefined} controls preload="metadata" aria-label={t('video.player')} />
          ) : (
            <div className={s.placeholder}>
              <VideoStatus video={v} live={live} />
            </div>
          )}
        </div>
        <div>
          <dl className={s.dl}>
            <dt className={s.dt}>{t('videos.status')}</dt>
            <dd className={s.dd}>
              <VideoStatus video={v} live={live} />
            </dd>
            <dt className={s.dt}>{t('videos.length')}</dt>
            <dd className={s.dd}>{v.duration_sec ? formatDuration(v.duration_sec) : '—'}</dd>
            <dt className={s.dt}>{t('videos.created')}</dt>
            <dd className={s.dd}>{f.dateTime(v.created_at)}</dd>
            <dt className={s.dt}>{t('video.watchPage')}</dt>
            <dd className={s.dd}>
              <Link href={v.watch_url} target="_blank" rel="noopener">
                {v.watch_url}
              </Link>
            </dd>
          </dl>
          {v.status === 'failed' && v.error ? <ErrorBar error={new Error(v.error)} title={t('video.failed')} /> : null}
          <div className={s.actions}>
            {v.status === 'completed' ? (
              <Button appearance="primary" onClick={() => void copySnippet()}>
                {t('video.copySnippet')}
              </Button>
            ) : null}
            {v.status === 'completed' && v.video_url ? (
              <Button as="a" href={v.video_url} download>
                {t('video.download')}
              </Button>
            ) : null}
            {can.write && rendering ? (
              <Button onClick={() => api.cancelVideo(id).then(setVideo, setError)}>{t('video.cancel')}</Button>
            ) : null}
            {can.write ? (
              <ConfirmButton
                label={t('video.delete')}
                title={t('video.deleteTitle')}
                body={t('video.deleteBody')}
                confirm={t('video.delete')}
                onConfirm={async () => {
                  try {
                    await api.deleteVideo(id);
                    navigateAfterDialog('/videos');
                  } catch (e) {
                    setError(e);
                  }
                }}
              />
            ) : null}
          </div>
          <Text as="p" className={s.script}>
            {v.script}
          </Text>
        </div>
      </div>
      {v.status === 'completed' ? (
        <Section id="analytics" title={t('video.analytics')} actions={<Button onClick={() => void exportCsv()}>{t('video.exportCsv')}</Button>}>
          {analytics.error ? <ErrorBar error={analytics.error} onRetry={analytics.reload} /> : null}
          {!a && analytics.loading ? <Loading /> : null}
          {a ? (
            <>
              <div className={s.kpis}>
                {(
                  [
                    ['video.kpi.delivered', f.number(a.totals.delivered)],
                    ['dashboard.opensHuman', f.number(a.totals.opens_human)],
                    ['dashboard.opensMachine', f.number(a.totals.opens_machine)],
                    ['dashboard.humanPlays', f.number(a.totals.plays)],
                    ['dashboard.avgWatch', f.percent(a.totals.watch.average_pct)],
                    ['dashboard.ctaClicks', f.number(a.totals.cta_clicks)],
                  ] as const
                ).map(([k, val]) => (
                  <div key={k} className={s.kpi}>
                    <Text className={s.muted}>{t(k)}</Text>
                    <Text className={s.kpiValue}>{val}</Text>
                  </div>
                ))}
              </div>
              <h3>{t('video.curveTitle')}</h3>
              {curve ? (
                <>
                  <Suspense fallback={<Loading />}>
                    <WatchCurveChart points={curve.points} unit={curve.unit} />
                  </Suspense>
                  <Text className={s.muted}>{curve.unit === 'second' ? t('video.curveExplain') : t('video.curveMilestones')}</Text>
                </>
              ) : (
                <Text className={s.muted}>{t('video.noPlays')}</Text>
              )}
              <h3>{t('video.recipients')}</h3>
              <Recipients analytics={a} videoId={id} canAdd={can.write} onAdded={analytics.reload} />
            </>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}

function Recipients({ analytics, videoId, canAdd, onAdded }: { analytics: VideoAnalytics; videoId: string; canAdd: boolean; onAdded(): void }) {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api } = useServices();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const links = useAsync(() => api.recipients(videoId), [api, videoId, analytics]);
  const linkOf = new Map((links.data?.items ?? []).map((r) => [r.id, r.watch_url]));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.addRecipient(videoId, { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
      setAdded(r.watch_url);
      setEmail('');
      setName('');
      onAdded();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      {analytics.recipients.length ? (
        <Table aria-label={t('video.recipients')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={s.recipientCol}>{t('video.recipient')}</TableHeaderCell>
              <TableHeaderCell>{t('video.kpi.delivered')}</TableHeaderCell>
              <TableHeaderCell>{t('dashboard.opensHuman')}</TableHeaderCell>
              <TableHeaderCell>{t('dashboard.opensMachine')}</TableHeaderCell>
              <TableHeaderCell>{t('dashboard.humanPlays')}</TableHeaderCell>
              <TableHeaderCell>{t('video.watched')}</TableHeaderCell>
              <TableHeaderCell>{t('dashboard.ctaClicks')}</TableHeaderCell>
              <TableHeaderCell>{t('video.link')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {analytics.recipients.map((r) => (
              <TableRow key={r.recipient_id}>
                <TableCell>
                  <Text block weight="semibold">
                    {r.name || r.email}
                  </Text>
                  {r.name ? <Text className={s.email}>{r.email}</Text> : null}
                </TableCell>
                <TableCell>{r.delivered_at ? f.date(r.delivered_at) : '—'}</TableCell>
                <TableCell>{f.number(r.opens_human)}</TableCell>
                <TableCell>{f.number(r.opens_machine)}</TableCell>
                <TableCell>{f.number(r.plays)}</TableCell>
                <TableCell>{r.plays ? f.percent(r.watch.average_pct) : '—'}</TableCell>
                <TableCell>{f.number(r.cta_clicks)}</TableCell>
                <TableCell>
                  {linkOf.get(r.recipient_id) ? (
                    <Link href={linkOf.get(r.recipient_id)} target="_blank" rel="noopener">
                      {t('video.openLink')}
                    </Link>
                  ) : (
                    '—'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Text className={s.muted}>{t('video.noRecipients')}</Text>
      )}
      {canAdd ? (
        <form className={s.form} onSubmit={add}>
          <Field label={t('video.recipientEmail')} required>
            <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
          </Field>
          <Field label={t('video.recipientName')}>
            <Input value={name} onChange={(_, d) => setName(d.value)} />
          </Field>
          <Button type="submit" disabled={!email.trim()}>
            {t('video.addRecipient')}
          </Button>
        </form>
      ) : null}
      {added ? <Notice>{t('video.recipientAdded', { url: added })}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
    </>
  );
}
