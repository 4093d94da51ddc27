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
import type { ProviderKey, ProviderName } from '@mvs/shared/api/api-types';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { useAsync, useServices } from '../../app/services';
import { ConfirmButton } from '../../components/Confirm';
import { ErrorBar, Loading, Notice, Section } from '../../components/ui';

const NAMES: Record<ProviderName, string> = { openai: 'OpenAI', elevenlabs: 'ElevenLabs', heygen: 'HeyGen', sendgrid: 'SendGrid' };

const useStyles = makeStyles({
  top: { marginTop: tokens.spacingVerticalL },
  masked: { fontFamily: tokens.fontFamilyMonospace },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** Per-workspace provider keys: stored encrypted, shown only as their last 4 characters; set, replace, remove, re-encrypt. */
export function ProviderKeys() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api } = useServices();
  const keys = useAsync(() => api.providerKeys(), [api]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = (msg: string) => {
    setNotice(msg);
    setError(null);
    keys.reload();
  };
  return (
    <div className={s.top}>
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <Section
        id="keys"
        title={t('keys.title')}
        actions={
          <ConfirmButton
            label={t('keys.rotate')}
            title={t('keys.rotateTitle')}
            body={t('keys.rotateBody')}
            confirm={t('keys.rotate')}
            danger={false}
            onConfirm={() => api.rotateProviderKeys().then((r) => done(t('keys.rotated', { n: r.rotated })), setError)}
          />
        }
      >
        <Text block className={s.muted}>
          {t('keys.help')}
        </Text>
        {keys.error ? <ErrorBar error={keys.error} onRetry={keys.reload} /> : null}
        {!keys.data && keys.loading ? <Loading /> : null}
        {keys.data ? (
          <Table aria-label={t('keys.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('keys.provider')}</TableHeaderCell>
                <TableHeaderCell>{t('keys.key')}</TableHeaderCell>
                <TableHeaderCell>{t('keys.baseUrl')}</TableHeaderCell>
                <TableHeaderCell>{t('keys.updated')}</TableHeaderCell>
                <TableHeaderCell>{t('team.actions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.data.items.map((k) => (
                <TableRow key={k.provider}>
                  <TableCell>{NAMES[k.provider] ?? k.provider}</TableCell>
                  <TableCell>
                    {k.configured ? (
                      <span className={s.masked} aria-label={t('keys.endsWith', { last4: k.last4 ?? '' })}>
                        •••• {k.last4}
                      </span>
                    ) : k.server_configured ? (
                      <Badge appearance="tint" color="informative">
                        {t('keys.serverKey')}
                      </Badge>
                    ) : (
                      <Badge appearance="tint" color="subtle">
                        {t('keys.notSet')}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>{k.base_url ?? '—'}</TableCell>
                  <TableCell>{k.updated_at ? `${f.dateTime(k.updated_at)}${k.updated_by_email ? ` · ${k.updated_by_email}` : ''}` : '—'}</TableCell>
                  <TableCell>
                    <span className={s.row}>
                      <SetKey item={k} onSaved={() => done(t('keys.saved', { provider: NAMES[k.provider] }))} />
                      {k.configured ? (
                        <ConfirmButton
                          label={t('keys.remove')}
                          title={t('keys.removeTitle', { provider: NAMES[k.provider] })}
                          body={t('keys.removeBody')}
                          confirm={t('keys.remove')}
                          onConfirm={() => api.deleteProviderKey(k.provider).then(() => done(t('keys.removed', { provider: NAMES[k.provider] })), setError)}
                        />
                      ) : null}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </Section>
    </div>
  );
}

function SetKey({ item, onSaved }: { item: ProviderKey; onSaved(): void }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(item.base_url ?? '');
  const [error, setError] = useState<unknown>(null);
  const name = NAMES[item.provider];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.setProviderKey(item.provider, { api_key: key.trim(), ...(baseUrl.trim() ? { base_url: baseUrl.trim() } : {}) });
      setKey('');
      setOpen(false);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button>{item.configured ? t('keys.replace') : t('keys.set')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{t('keys.setTitle', { provider: name })}</DialogTitle>
            <DialogContent className={s.form}>
              <Text>{t('keys.setHelp')}</Text>
              <Field label={t('keys.apiKey')} required>
                <Input type="password" autoComplete="off" value={key} onChange={(_, d) => setKey(d.value)} />
              </Field>
              <Field label={t('keys.baseUrl')} hint={t('keys.baseUrlHint')}>
                <Input type="url" value={baseUrl} onChange={(_, d) => setBaseUrl(d.value)} />
              </Field>
              {error ? <ErrorBar error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary">{t('common.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={!key.trim()}>
                {t('common.save')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
