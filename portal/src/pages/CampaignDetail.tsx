import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Campaign, CampaignAnalytics, CampaignRecipient, RecipientState } from '@mvs/shared/api/api-types';
import { SseParser } from '@mvs/shared/api/sse-parser';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../app/i18n';
import { navigate, navigateAfterDialog } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { CampaignStatus } from '../components/CampaignStatus';
import { ConfirmButton } from '../components/Confirm';
import { ErrorBar, Loading, Notice, PageHeader, Section } from '../components/ui';

const PAGE_SIZE = 24;

const useStyles = makeStyles({
  counts: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', listStyle: 'none', margin: `0 0 ${tokens.spacingVerticalM} 0`, padding: 0 },
  count: { display: 'flex', flexDirection: 'column' },
  countValue: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2 },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'flex-end' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM, listStyle: 'none', margin: 0, padding: 0 },
  card: { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, overflow: 'hidden', display: 'flex', flexDirection: 'column' },
  poster: { width: '100%', aspectRatio: '9 / 16', objectFit: 'cover', display: 'block', backgroundColor: tokens.colorNeutralBackground3, maxHeight: '260px' },
  cardBody: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  transcript: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, maxHeight: '6em', overflow: 'auto' },
  video: { width: '100%', maxHeight: '60vh', backgroundColor: tokens.colorNeutralForeground1 },
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM },
});

/** Where DELETE /campaigns/{id} is allowed (a campaign at work is canceled first). */
const DELETABLE: Campaign['status'][] = ['draft', 'review', 'canceled', 'sent', 'failed'];

const STATE_COLOR: Partial<Record<RecipientState, 'success' | 'warning' | 'danger' | 'informative' | 'subtle' | 'brand'>> = {
  rendered: 'brand',
  approved: 'success',
  sent: 'success',
  render_failed: 'danger',
  send_failed: 'danger',
  bounced: 'danger',
  rendering: 'warning',
  queued: 'informative',
  skipped: 'subtle',
  canceled: 'subtle',
};

/** Live counts over SSE (GET /campaigns/{id}/events); returns the latest campaign. */
function useCampaignEvents(id: string, campaign: Campaign | undefined, onChange: (c: Partial<Campaign>) => void, onDone: () => void) {
  const { api } = useServices();
  const cb = useRef({ onChange, onDone });
  cb.current = { onChange, onDone };
  const live = campaign && ['rendering', 'sending', 'scheduled'].includes(campaign.status);
  useEffect(() => {
    if (!live) return;
    const ctrl = new AbortController();
    (async () => {
      const res = await api.stream(`/api/v1/campaigns/${encodeURIComponent(id)}/events`, ctrl.signal);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const ev of parser.push(value)) {
          if (ev.event === 'counts') cb.current.onChange(JSON.parse(ev.data) as Partial<Campaign>);
          if (ev.event === 'done') cb.current.onDone();
        }
      }
      cb.current.onDone();
    })().catch(() => undefined);
    return () => ctrl.abort();
  }, [api, id, live]); // onChange/onDone are read when events arrive; reconnecting on each render would lose them
}

/** One campaign: render with progress → review gallery (approve, re-render one) → schedule or send; then analytics with A/B results. */
export function CampaignDetail({ params }: { params: Record<string, string> }) {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can } = useServices();
  const id = params.id!;
  const campaign = useAsync(() => api.campaign(id), [api, id]);
  const [page, setPage] = useState(1);
  const [sample, setSample] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const recipients = useAsync(() => api.campaignRecipients(id, sample ? { sample } : { page, page_size: PAGE_SIZE }), [api, id, page, sample, tick]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sendAt, setSendAt] = useState('');
  const c = campaign.data;
  const setCampaign = campaign.setData;
  useCampaignEvents(
    id,
    c,
    (patch) => {
      setCampaign(c ? { ...c, ...patch } : c);
      setTick((n) => n + 1);
    },
    () => campaign.reload(),
  );
  const analytics = useAsync(() => (c && c.counts.sent > 0 ? api.campaignAnalytics(id) : Promise.resolve(null)), [api, id, c?.counts.sent]);

  if (campaign.error) return <ErrorBar error={campaign.error} onRetry={campaign.reload} />;
  if (!c) return <Loading />;

  const act = async (fn: () => Promise<Campaign>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      setCampaign(await fn());
      if (done) setNotice(done);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  };
  const n = c.counts;
  const renderedish = n.rendered + n.approved + n.sending + n.sent + n.send_failed + n.bounced;
  const renderDone = renderedish + n.render_failed;
  const renderTotal = n.total - n.skipped - n.held - n.canceled;
  const download = async (which: 'export' | 'analytics') => {
    try {
      const csv = await api.campaignCsv(id, which);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `campaign-${id}-${which}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader
        title={c.name}
        subtitle={<AppLink to="/campaigns">{t('campaign.back')}</AppLink>}
        actions={
          <>
            <CampaignStatus status={c.status} />
            {can.write && ['rendering', 'scheduled', 'sending'].includes(c.status) ? <Button onClick={() => void act(() => api.campaignAction(id, 'pause'))}>{t('campaign.pause')}</Button> : null}
            {can.write && c.status === 'paused' ? <Button onClick={() => void act(() => api.campaignAction(id, 'resume'))}>{t('campaign.resume')}</Button> : null}
            {can.write && c.status === 'draft' ? <Button onClick={() => navigate(`/campaigns/${id}/edit`)}>{t('campaign.edit')}</Button> : null}
            {can.write && !['sent', 'canceled', 'failed'].includes(c.status) ? (
              <ConfirmButton label={t('campaign.cancel')} title={t('campaign.cancelTitle')} body={t('campaign.cancelBody')} confirm={t('campaign.cancel')} onConfirm={() => act(() => api.campaignAction(id, 'cancel'))} />
            ) : null}
            {can.write && DELETABLE.includes(c.status) ? (
              <ConfirmButton
                label={t('campaign.delete')}
                title={t('campaign.deleteTitle')}
                body={c.send_started_at || n.sent ? t('campaign.deleteBodySent') : t('campaign.deleteBody')}
                confirm={t('campaign.delete')}
                onConfirm={async () => {
                  setError(null);
                  try {
                    await api.deleteCampaign(id);
                    navigateAfterDialog('/campaigns'); // the dialog hides the page from screen readers until it is gone
                  } catch (e) {
                    setError(e);
                  }
                }}
              />
            ) : null}
          </>
        }
      />
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      {c.error ? <ErrorBar error={new Error(c.error)} /> : null}

      <ul className={s.counts} aria-label={t('campaign.counts')}>
        {(
          [
            ['campaign.count.total', n.total],
            ['campaign.count.rendered', renderedish],
            ['campaign.count.approved', n.approved + n.sending + n.sent],
            ['campaign.count.sent', n.sent],
            ['campaign.count.failed', n.render_failed + n.send_failed + n.bounced],
            ['campaign.count.skipped', n.skipped],
          ] as const
        ).map(([k, v]) => (
          <li key={k} className={s.count}>
            <Text className={s.muted}>{t(k)}</Text>
            <Text className={s.countValue}>{f.number(v)}</Text>
          </li>
        ))}
      </ul>

      {c.status === 'draft' ? (
        <Section id="render" title={t('wizard.step.render')}>
          <Text block>{t('campaign.renderHelp', { n: f.number(n.total - n.skipped) })}</Text>
          {can.write ? (
            <Button appearance="primary" onClick={() => void act(() => api.campaignAction(id, 'render'))}>
              {t('campaign.render')}
            </Button>
          ) : null}
        </Section>
      ) : null}

      {c.status === 'rendering' || (c.status === 'paused' && c.paused_from === 'rendering') ? (
        <Section id="render" title={t('wizard.step.render')}>
          <ProgressBar value={renderTotal ? renderDone / renderTotal : 0} thickness="large" aria-label={t('campaign.renderProgress', { done: renderDone, total: renderTotal })} />
          <Text role="status">{t('campaign.renderProgress', { done: f.number(renderDone), total: f.number(renderTotal) })}</Text>
        </Section>
      ) : null}

      {['review', 'scheduled', 'sending', 'sent', 'paused'].includes(c.status) && c.status !== 'sent' ? (
        <Section id="send" title={t('wizard.step.send')}>
          {c.status === 'review' ? (
            <div className={s.row}>
              {can.write ? (
                <>
                  <Button onClick={() => void act(async () => (await api.approveRecipients(id)).campaign, t('campaign.approvedAll'))} disabled={!n.rendered}>
                    {t('campaign.approveAll', { n: f.number(n.rendered) })}
                  </Button>
                  <Button appearance="primary" disabled={!n.approved} onClick={() => void act(() => api.sendCampaign(id), t('campaign.sendingNow'))}>
                    {t('campaign.sendNow', { n: f.number(n.approved) })}
                  </Button>
                  <Field label={t('campaign.sendAt')}>
                    <Input type="datetime-local" value={sendAt} onChange={(_, d) => setSendAt(d.value)} />
                  </Field>
                  <Button disabled={!n.approved || !sendAt} onClick={() => void act(() => api.sendCampaign(id, new Date(sendAt).toISOString()), t('campaign.scheduled'))}>
                    {t('campaign.schedule')}
                  </Button>
                </>
              ) : (
                <Text className={s.muted}>{t('campaign.viewerReview')}</Text>
              )}
            </div>
          ) : null}
          {c.status === 'scheduled' && c.send_at ? <Text block>{t('campaign.scheduledFor', { when: f.dateTime(c.send_at) })}</Text> : null}
          {c.status === 'sending' ? (
            <>
              <ProgressBar value={n.approved + n.sending + n.sent ? n.sent / (n.approved + n.sending + n.sent) : 0} thickness="large" aria-label={t('campaign.sendProgress', { sent: n.sent, total: n.approved + n.sending + n.sent })} />
              <Text role="status">{t('campaign.sendProgress', { sent: f.number(n.sent), total: f.number(n.approved + n.sending + n.sent) })}</Text>
            </>
          ) : null}
        </Section>
      ) : null}
      {c.status === 'sent' ? <Notice>{t('campaign.sentAll', { n: f.number(n.sent), when: c.sent_at ? f.dateTime(c.sent_at) : '' })}</Notice> : null}

      {c.status !== 'draft' ? (
        <Section
          id="review"
          title={t('wizard.step.review')}
          actions={
            <>
              <Button onClick={() => { setSample(sample ? null : 6); setPage(1); }}>{sample ? t('campaign.showAll') : t('campaign.spotCheck')}</Button>
              <Button onClick={() => void download('export')}>{t('campaign.exportPurl')}</Button>
            </>
          }
        >
          {recipients.error ? <ErrorBar error={recipients.error} onRetry={recipients.reload} /> : null}
          {!recipients.data ? <Loading /> : null}
          <ul className={s.grid} aria-label={t('campaign.gallery')}>
            {(recipients.data?.items ?? []).map((r) => (
              <RecipientCard key={r.id} r={r} campaignId={id} showVariant={c.variants.length > 1} canWrite={can.write && ['review', 'paused', 'scheduled'].includes(c.status)} onChanged={() => { setTick((x) => x + 1); campaign.reload(); }} onError={setError} />
            ))}
          </ul>
          {!sample && (recipients.data?.total ?? 0) > PAGE_SIZE ? (
            <div className={s.row}>
              <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('common.previous')}</Button>
              <Text>{t('common.pageOf', { page, pages: Math.ceil((recipients.data?.total ?? 0) / PAGE_SIZE), total: f.number(recipients.data?.total ?? 0) })}</Text>
              <Button disabled={page * PAGE_SIZE >= (recipients.data?.total ?? 0)} onClick={() => setPage(page + 1)}>{t('common.next')}</Button>
            </div>
          ) : null}
        </Section>
      ) : null}

      {analytics.data ? (
        <Section id="results" title={t('campaign.results')} actions={<Button onClick={() => void download('analytics')}>{t('video.exportCsv')}</Button>}>
          <div className={s.kpis}>
            {(
              [
                ['video.kpi.delivered', f.number(analytics.data.totals.delivered)],
                ['dashboard.opensHuman', f.number(analytics.data.totals.opens_human)],
                ['dashboard.humanPlays', f.number(analytics.data.totals.plays)],
                ['dashboard.avgWatch', f.percent(analytics.data.totals.watch.average_pct)],
                ['dashboard.ctaClicks', f.number(analytics.data.totals.cta_clicks)],
                ['campaign.machineEvents', f.number(analytics.data.totals.machine_events)],
              ] as const
            ).map(([k, v]) => (
              <div key={k} className={s.count}>
                <Text className={s.muted}>{t(k)}</Text>
                <Text className={s.countValue}>{v}</Text>
              </div>
            ))}
          </div>
          {analytics.data.variants.length > 1 ? <VariantResults a={analytics.data} campaign={c} /> : null}
        </Section>
      ) : null}
    </>
  );
}

/**
 * Per version: delivered, human plays, play rate, its p-value against the leader (Bonferroni-adjusted as the decision
 * uses it) and the confidence, the leader or winner marked; then the decision in words.
 */
function VariantResults({ a, campaign }: { a: CampaignAnalytics; campaign: Campaign }) {
  const { t, f } = useI18n();
  const ab = a.ab;
  const m = ab?.comparisons.length ?? 0;
  const thumbnails = new Map(campaign.variants.map((v) => [v.id, v.thumbnail]));
  return (
    <>
      <Table aria-label={t('campaign.variants')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('campaign.variant')}</TableHeaderCell>
            <TableHeaderCell>{t('campaign.thumbnail')}</TableHeaderCell>
            <TableHeaderCell>{t('video.kpi.delivered')}</TableHeaderCell>
            <TableHeaderCell>{t('dashboard.humanPlays')}</TableHeaderCell>
            <TableHeaderCell>{t('campaign.playRate')}</TableHeaderCell>
            <TableHeaderCell>{t('campaign.pValue')}</TableHeaderCell>
            <TableHeaderCell>{t('campaign.confidence')}</TableHeaderCell>
            <TableHeaderCell>{t('campaign.outcome')}</TableHeaderCell>
            <TableHeaderCell>{t('dashboard.ctaClicks')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {a.variants.map((v) => {
            const cmp = ab?.comparisons.find((x) => x.against_id === v.variant_id);
            const p = cmp ? Math.min(1, cmp.p_value * m) : null;
            const isLeader = ab?.leader_id === v.variant_id;
            const isWinner = ab?.winner_id === v.variant_id && ab.status === 'winner';
            const thumb = thumbnails.get(v.variant_id);
            return (
              <TableRow key={v.variant_id}>
                <TableCell>{v.label}</TableCell>
                <TableCell>{thumb ? t(`campaign.thumb.${thumb}`) : '—'}</TableCell>
                <TableCell>{f.number(v.delivered)}</TableCell>
                <TableCell>{f.number(v.plays)}</TableCell>
                <TableCell>{f.percent(v.delivered ? (100 * v.plays) / v.delivered : 0)}</TableCell>
                <TableCell>{p !== null ? p.toFixed(4) : '—'}</TableCell>
                <TableCell>{p !== null ? f.percent((1 - p) * 100) : isLeader && ab?.confidence != null ? f.percent(ab.confidence * 100) : '—'}</TableCell>
                <TableCell>
                  {isWinner ? (
                    <Badge color="success" appearance="filled">{t('campaign.winnerBadge')}</Badge>
                  ) : isLeader ? (
                    <Badge color="informative" appearance="tint">{t('campaign.leaderBadge')}</Badge>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell>{f.number(v.cta_clicks)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {ab ? <AbResult ab={ab} labels={new Map(a.variants.map((v) => [v.variant_id, v.label]))} /> : null}
    </>
  );
}

function AbResult({ ab, labels }: { ab: NonNullable<Awaited<ReturnType<ReturnType<typeof useServices>['api']['campaignAnalytics']>>['ab']>; labels: Map<string, string> }) {
  const { t, f } = useI18n();
  const winner = ab.winner_id ? labels.get(ab.winner_id) : null;
  const leader = ab.leader_id ? labels.get(ab.leader_id) : null;
  const text =
    ab.status === 'winner'
      ? t('campaign.ab.winner', { label: winner ?? '', confidence: f.percent((ab.confidence ?? 0) * 100) })
      : ab.status === 'no_significant_difference'
        ? t('campaign.ab.noDifference', { label: leader ?? '—', confidence: f.percent((ab.confidence ?? 0) * 100), required: f.percent(ab.required_confidence * 100) })
        : ab.status === 'insufficient_data'
          ? t('campaign.ab.insufficient', { n: f.number(ab.min_sample) })
          : t('campaign.ab.single');
  return (
    <Notice intent={ab.status === 'winner' ? 'success' : 'info'}>
      {text}
      {ab.p_value !== null ? ` (p = ${ab.p_value.toFixed(4)})` : ''}
    </Notice>
  );
}

function RecipientCard({ r, campaignId, canWrite, showVariant, onChanged, onError }: { r: CampaignRecipient; campaignId: string; canWrite: boolean; showVariant: boolean; onChanged(): void; onError(e: unknown): void }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [script, setScript] = useState(r.transcript ?? '');
  const [open, setOpen] = useState(false);
  const who = r.name || [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email;
  return (
    <li className={s.card} aria-label={who}>
      {r.poster_url ? <img className={s.poster} src={r.poster_url} alt={t('campaign.posterOf', { name: who })} /> : <span className={s.poster} aria-hidden="true" />}
      <div className={s.cardBody}>
        <Text weight="semibold">{who}</Text>
        <Text className={s.muted}>
          {r.company ? `${r.company} · ` : ''}
          {r.email}
          {showVariant && r.variant_label ? ` · ${t('campaign.variant')} ${r.variant_label}` : ''}
        </Text>
        <span>
          <Badge appearance="tint" color={STATE_COLOR[r.state] ?? 'informative'}>
            {t(`campaign.state.${r.state}`)}
          </Badge>
        </span>
        {r.transcript ? <Text className={s.transcript}>{r.transcript}</Text> : null}
        {r.error ? <Text className={s.transcript}>{r.error}</Text> : null}
        <div className={s.row}>
          {r.video_url ? (
            <Dialog>
              <DialogTrigger disableButtonEnhancement>
                <Button size="small">{t('campaign.play')}</Button>
              </DialogTrigger>
              <DialogSurface>
                <DialogBody>
                  <DialogTitle>{who}</DialogTitle>
                  <DialogContent>
                    <video className={s.video} src={r.video_url} poster={r.poster_url ?? undefined} controls autoPlay aria-label={t('video.player')} />
                  </DialogContent>
                  <DialogActions>
                    <DialogTrigger disableButtonEnhancement>
                      <Button>{t('campaign.close')}</Button>
                    </DialogTrigger>
                  </DialogActions>
                </DialogBody>
              </DialogSurface>
            </Dialog>
          ) : null}
          {canWrite && r.state === 'rendered' ? (
            <Button size="small" appearance="primary" onClick={() => api.approveRecipients(campaignId, [r.id]).then(onChanged, onError)}>
              {t('campaign.approve')}
            </Button>
          ) : null}
          {canWrite && ['rendered', 'approved', 'render_failed'].includes(r.state) ? (
            <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
              <DialogTrigger disableButtonEnhancement>
                <Button size="small">{t('campaign.rerender')}</Button>
              </DialogTrigger>
              <DialogSurface>
                <DialogBody>
                  <DialogTitle>{t('campaign.rerenderTitle', { name: who })}</DialogTitle>
                  <DialogContent>
                    <Field label={t('templates.script')} hint={t('campaign.rerenderHint')}>
                      <Textarea value={script} onChange={(_, d) => setScript(d.value)} rows={6} resize="vertical" />
                    </Field>
                  </DialogContent>
                  <DialogActions>
                    <DialogTrigger disableButtonEnhancement>
                      <Button appearance="secondary">{t('common.cancel')}</Button>
                    </DialogTrigger>
                    <Button
                      appearance="primary"
                      onClick={() => {
                        setOpen(false);
                        api.rerenderRecipient(campaignId, r.id, script !== r.transcript ? script : undefined).then(onChanged, onError);
                      }}
                    >
                      {t('campaign.rerender')}
                    </Button>
                  </DialogActions>
                </DialogBody>
              </DialogSurface>
            </Dialog>
          ) : null}
        </div>
      </div>
    </li>
  );
}
