import {
  Button,
  Field,
  Input,
  Select,
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
import type { Video, VideoStatus as Status } from '@mvs/shared/api/api-types';
import { followVideo, type ProgressUpdate } from '@mvs/shared/api/video-progress';
import { formatDuration } from '@mvs/shared/i18n/i18n';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../app/i18n';
import { linkProps, navigate, useLocation } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { EmptyState, ErrorBar, Loading, PageHeader } from '../components/ui';
import { VideoStatus } from '../components/VideoStatus';

const PAGE_SIZE = 20;
/** Renders followed over SSE at once; more would use up the browser's six connections per server. */
const MAX_STREAMS = 3;
const STATUSES: Status[] = ['queued', 'rendering', 'completed', 'failed', 'canceled'];

const useStyles = makeStyles({
  filters: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end', marginBottom: tokens.spacingVerticalL },
  poster: { width: '36px', height: '64px', objectFit: 'cover', borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorNeutralBackground3, display: 'block' },
  title: { display: 'block', fontWeight: tokens.fontWeightSemibold },
  script: { display: 'block', color: tokens.colorNeutralForeground2, maxWidth: '420px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  pager: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalM },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  posterCol: { width: '64px' },
  videoCol: { width: '36%' },
  dateCol: { width: '190px' },
});

const inFlight = (v: Pick<Video, 'status'>) => v.status === 'queued' || v.status === 'rendering';

/** Every video (a user's own; admins and viewers the workspace's), with filters, search and live render progress. */
export function Videos() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api } = useServices();
  const { search } = useLocation();
  const status = (search.get('status') ?? '') as Status | '';
  const avatar = search.get('avatar') ?? '';
  const q = search.get('q') ?? '';
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const [text, setText] = useState(q);
  const [live, setLive] = useState<Record<string, ProgressUpdate>>({});

  const setFilter = (patch: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    const qs = next.toString();
    navigate(`/videos${qs ? `?${qs}` : ''}`, { replace: true });
  };

  const avatars = useAsync(() => api.avatars(), [api]);
  const list = useAsync((signal) => api.videos({ page, page_size: PAGE_SIZE, status: status || undefined, avatar_id: avatar || undefined, q: q || undefined }, signal), [api, page, status, avatar, q]);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const flying = items.filter(inFlight).map((v) => v.id);
  const flyingKey = flying.join(',');
  const reload = list.reload;

  // Live bars: the first few renders over SSE; the list refreshes when one ends, and polls for the rest.
  useEffect(() => {
    if (!flyingKey) return;
    const ctrl = new AbortController();
    const ids = flyingKey.split(',');
    for (const id of ids.slice(0, MAX_STREAMS)) {
      followVideo(api, id, (u) => setLive((m) => ({ ...m, [id]: u })), ctrl.signal)
        .then(() => !ctrl.signal.aborted && reload())
        .catch(() => undefined);
    }
    const poll = ids.length > MAX_STREAMS ? setInterval(() => reload(), 3000) : undefined;
    return () => {
      ctrl.abort();
      if (poll) clearInterval(poll);
    };
  }, [api, flyingKey, reload]);

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Boolean(status || avatar || q);
  const avatarName = new Map((avatars.data?.items ?? []).map((a) => [a.id, a.name]));

  return (
    <>
      <PageHeader title={t('videos.title')} subtitle={t('videos.subtitle')} />
      <form
        className={s.filters}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: text.trim() });
        }}
      >
        <Field label={t('videos.search')}>
          <Input type="search" value={text} onChange={(_, d) => setText(d.value)} placeholder={t('videos.searchHint')} />
        </Field>
        <Button type="submit">{t('videos.searchGo')}</Button>
        <Field label={t('videos.status')}>
          <Select value={status} onChange={(_, d) => setFilter({ status: d.value })}>
            <option value="">{t('videos.anyStatus')}</option>
            {STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`video.status.${st}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('videos.avatar')}>
          <Select value={avatar} onChange={(_, d) => setFilter({ avatar: d.value })}>
            <option value="">{t('videos.anyAvatar')}</option>
            {(avatars.data?.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        {filtered ? (
          <Button
            appearance="subtle"
            onClick={() => {
              setText('');
              navigate('/videos', { replace: true });
            }}
          >
            {t('videos.clear')}
          </Button>
        ) : null}
      </form>
      {list.error ? <ErrorBar error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? (
        filtered ? (
          <EmptyState title={t('videos.noMatchTitle')}>{t('videos.noMatchBody')}</EmptyState>
        ) : (
          <EmptyState
            title={t('videos.emptyTitle')}
            action={
              <Button appearance="primary" as="a" {...linkProps('/avatars')}>
                {t('videos.emptyAction')}
              </Button>
            }
          >
            {t('videos.emptyBody')}
          </EmptyState>
        )
      ) : null}
      {items.length ? (
        <>
          <Table className={s.table} aria-label={t('videos.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={s.posterCol}>
                  <span className="visually-hidden">{t('videos.poster')}</span>
                </TableHeaderCell>
                <TableHeaderCell className={s.videoCol}>{t('videos.video')}</TableHeaderCell>
                <TableHeaderCell>{t('videos.status')}</TableHeaderCell>
                <TableHeaderCell>{t('videos.avatar')}</TableHeaderCell>
                <TableHeaderCell>{t('videos.length')}</TableHeaderCell>
                <TableHeaderCell className={s.dateCol}>{t('videos.created')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((v) => (
                <TableRow key={v.id}>
                  <TableCell>{v.poster_url ? <img className={s.poster} src={v.poster_url} alt="" /> : <span className={s.poster} aria-hidden="true" />}</TableCell>
                  <TableCell>
                    <AppLink to={`/videos/${v.id}`} className={s.title}>
                      {v.title || t('videos.untitled')}
                    </AppLink>
                    <Text className={s.script}>{v.script}</Text>
                  </TableCell>
                  <TableCell>
                    <VideoStatus video={v} live={inFlight(v) ? live[v.id] : undefined} />
                  </TableCell>
                  <TableCell>{avatarName.get(v.avatar_id) ?? '—'}</TableCell>
                  <TableCell>{v.duration_sec ? formatDuration(v.duration_sec) : '—'}</TableCell>
                  <TableCell>{f.dateTime(v.created_at)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav className={s.pager} aria-label={t('common.pages')}>
            <Button disabled={page <= 1} onClick={() => setFilter({ page: String(page - 1) })}>
              {t('common.previous')}
            </Button>
            <Text>{t('common.pageOf', { page, pages, total: f.number(total) })}</Text>
            <Button disabled={page >= pages} onClick={() => setFilter({ page: String(page + 1) })}>
              {t('common.next')}
            </Button>
          </nav>
        </>
      ) : null}
    </>
  );
}
