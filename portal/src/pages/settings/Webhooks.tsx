import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Switch,
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
import type { Webhook, WebhookDelivery, WebhookEventName } from '@mvs/shared/api/api-types';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { useAsync, useServices } from '../../app/services';
import { ConfirmButton } from '../../components/Confirm';
import { EmptyState, ErrorBar, Loading, Notice, Section } from '../../components/ui';

const EVENTS: WebhookEventName[] = [
  'video.completed', 'video.failed', 'video.viewed', 'video.progress', 'cta.clicked', 'email.sent',
  'campaign.rendered', 'campaign.sending', 'campaign.sent', 'campaign.recipient_failed', 'campaign.ab_decided',
];

const useStyles = makeStyles({
  top: { marginTop: tokens.spacingVerticalL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  events: { display: 'flex', flexWrap: 'wrap', gap: `0 ${tokens.spacingHorizontalL}` },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  url: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  secret: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all', userSelect: 'all' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** Outgoing webhooks: register an endpoint (its signing secret shown once), pause, delete, send a test, read the delivery log. */
export function Webhooks() {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const hooks = useAsync(() => api.webhooks(), [api]);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = hooks.data?.items ?? [];
  return (
    <div className={s.top}>
      {created ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>
            <MessageBarTitle>{t('hooks.createdTitle')}</MessageBarTitle>
            {t('hooks.secretOnce')} <code className={s.secret}>{created.secret}</code>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {error ? <ErrorBar error={error} /> : null}
      <Section id="add-hook" title={t('hooks.add')}>
        <AddWebhook
          onCreated={(h) => {
            setCreated(h);
            hooks.reload();
          }}
        />
      </Section>
      {hooks.error ? <ErrorBar error={hooks.error} onRetry={hooks.reload} /> : null}
      {!hooks.data && hooks.loading ? <Loading /> : null}
      {hooks.data && !items.length ? <EmptyState title={t('hooks.emptyTitle')}>{t('hooks.emptyBody')}</EmptyState> : null}
      {items.map((h) => (
        <Endpoint key={h.id} hook={h} onChanged={hooks.reload} onError={setError} />
      ))}
    </div>
  );
}

function AddWebhook({ onCreated }: { onCreated(h: { url: string; secret: string }): void }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventName[]>(['video.completed', 'video.viewed']);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const h = await api.createWebhook({ url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) });
      setUrl('');
      setDescription('');
      onCreated({ url: h.url, secret: h.secret });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className={s.form} onSubmit={submit}>
      <Field label={t('hooks.url')} required hint={t('hooks.urlHint')}>
        <Input type="url" value={url} onChange={(_, d) => setUrl(d.value)} placeholder="https://n8n.example.com/webhook/mail-video" />
      </Field>
      <Field label={t('hooks.description')}>
        <Input value={description} onChange={(_, d) => setDescription(d.value)} maxLength={200} />
      </Field>
      <fieldset className={s.events}>
        <legend>{t('hooks.events')}</legend>
        {EVENTS.map((ev) => (
          <Checkbox key={ev} label={`${ev} — ${t(`hooks.event.${ev}`)}`} checked={events.includes(ev)} onChange={(_, d) => setEvents((xs) => (d.checked ? [...xs, ev] : xs.filter((x) => x !== ev)))} />
        ))}
      </fieldset>
      {error ? <ErrorBar error={error} /> : null}
      <span>
        <Button appearance="primary" type="submit" disabled={!url.trim() || !events.length}>
          {t('hooks.addSubmit')}
        </Button>
      </span>
    </form>
  );
}

const STATUS_COLOR = { delivered: 'success', failed: 'danger', pending: 'warning' } as const;

function Endpoint({ hook, onChanged, onError }: { hook: Webhook; onChanged(): void; onError(e: unknown): void }) {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api } = useServices();
  const [showLog, setShowLog] = useState(false);
  const [test, setTest] = useState<WebhookDelivery | null>(null);
  const [testing, setTesting] = useState(false);
  const log = useAsync(() => (showLog ? api.webhookDeliveries(hook.id) : Promise.resolve(null)), [api, hook.id, showLog, test]);
  const sendTest = async () => {
    setTesting(true);
    setTest(null);
    try {
      setTest(await api.testWebhook(hook.id));
    } catch (e) {
      onError(e);
    } finally {
      setTesting(false);
    }
  };
  return (
    <Section id={`hook-${hook.id}`} title={hook.description || hook.url}>
      <Text block className={s.url}>
        {hook.url}
      </Text>
      <Text block className={s.muted}>
        {t('hooks.subscribed', { events: hook.events.join(', '), since: f.date(hook.created_at) })}
      </Text>
      <div className={s.row}>
        <Switch checked={hook.active} label={hook.active ? t('hooks.active') : t('hooks.paused')} onChange={(_, d) => api.updateWebhook(hook.id, { active: d.checked }).then(onChanged, onError)} />
        <Button onClick={() => void sendTest()} disabled={testing}>
          {testing ? t('hooks.testing') : t('hooks.sendTest')}
        </Button>
        <Button appearance="subtle" onClick={() => setShowLog((v) => !v)} aria-expanded={showLog}>
          {showLog ? t('hooks.hideLog') : t('hooks.showLog')}
        </Button>
        <ConfirmButton label={t('hooks.delete')} title={t('hooks.deleteTitle')} body={t('hooks.deleteBody', { url: hook.url })} confirm={t('hooks.delete')} onConfirm={() => api.deleteWebhook(hook.id).then(onChanged, onError)} />
      </div>
      {test ? (
        test.status === 'delivered' ? (
          <Notice>{t('hooks.testOk', { status: test.last_status ?? 0 })}</Notice>
        ) : (
          <ErrorBar error={new Error(t('hooks.testFailed', { reason: test.last_error ?? String(test.last_status ?? '') }))} />
        )
      ) : null}
      {showLog ? (
        log.error ? (
          <ErrorBar error={log.error} onRetry={log.reload} />
        ) : !log.data ? (
          <Loading />
        ) : log.data.items.length ? (
          <Table aria-label={t('hooks.log')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('hooks.when')}</TableHeaderCell>
                <TableHeaderCell>{t('hooks.event')}</TableHeaderCell>
                <TableHeaderCell>{t('hooks.status')}</TableHeaderCell>
                <TableHeaderCell>{t('hooks.attempts')}</TableHeaderCell>
                <TableHeaderCell>{t('hooks.answer')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {log.data.items.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{f.dateTime(d.created_at)}</TableCell>
                  <TableCell>
                    {d.event}
                    {(d.payload as { test?: boolean }).test ? ` (${t('hooks.testTag')})` : ''}
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={STATUS_COLOR[d.status]}>
                      {t(`hooks.delivery.${d.status}`)}
                    </Badge>
                  </TableCell>
                  <TableCell>{f.number(d.attempts)}</TableCell>
                  <TableCell>{d.last_error ?? (d.last_status ? String(d.last_status) : '—')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <Text className={s.muted}>{t('hooks.noDeliveries')}</Text>
        )
      ) : null}
    </Section>
  );
}
