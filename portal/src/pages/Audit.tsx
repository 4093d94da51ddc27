import { Button, Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useI18n, type PortalKey } from '../app/i18n';
import { useAsync, useServices } from '../app/services';
import { EmptyState, ErrorBar, Loading, PageHeader } from '../components/ui';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  filters: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: tokens.spacingVerticalL },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  details: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, maxWidth: '360px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' },
  pager: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalM },
});

/** Known actions in words; any other action shows its code. */
const ACTIONS: Record<string, PortalKey> = {
  'auth.login': 'audit.action.login',
  'auth.entra_login': 'audit.action.login',
  'auth.login_failed': 'audit.action.loginFailed',
  'auth.locked': 'audit.action.locked',
  'auth.logout': 'audit.action.logout',
  'auth.password_changed': 'audit.action.passwordChanged',
  'auth.refresh_reuse_detected': 'audit.action.tokenReuse',
  'user.invited': 'audit.action.userInvited',
  'user.updated': 'audit.action.userUpdated',
  'user.role_changed': 'audit.action.roleChanged',
  'user.deactivated': 'audit.action.userDeactivated',
  'user.reactivated': 'audit.action.userReactivated',
  'user.signed_out_everywhere': 'audit.action.signedOutEverywhere',
  'user.lockout_lifted': 'audit.action.lockoutLifted',
  'avatar.created': 'audit.action.avatarCreated',
  'avatar.deleted': 'audit.action.avatarDeleted',
  'avatar.photo_uploaded': 'audit.action.photoUploaded',
  'avatar.voice_uploaded': 'audit.action.voiceUploaded',
  'avatar.consent_given': 'audit.action.consent',
  'video.created': 'audit.action.videoCreated',
  'video.deleted': 'audit.action.videoDeleted',
  'webhook.created': 'audit.action.webhookCreated',
  'webhook.updated': 'audit.action.webhookUpdated',
  'webhook.deleted': 'audit.action.webhookDeleted',
  'provider_key.set': 'audit.action.keySet',
  'provider_key.deleted': 'audit.action.keyDeleted',
  'secrets.rotated': 'audit.action.secretsRotated',
  'settings.updated': 'audit.action.settingsUpdated',
  'settings.logo_uploaded': 'audit.action.logoUploaded',
  'settings.logo_removed': 'audit.action.logoRemoved',
};

/** Sensitive actions, newest first: who, what, when, from which (hashed) address. Admins only. */
export function Audit() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can } = useServices();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  const entries = useAsync(() => (can.admin ? api.audit({ page, page_size: PAGE_SIZE, action: filter || undefined }) : Promise.resolve(null)), [api, page, filter, can.admin]);

  if (!can.admin) {
    return (
      <>
        <PageHeader title={t('audit.title')} />
        <EmptyState title={t('team.adminsOnly')}>{t('audit.adminsOnly')}</EmptyState>
      </>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setFilter(action.trim());
  };
  const items = entries.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((entries.data?.total ?? 0) / PAGE_SIZE));
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <form className={s.filters} onSubmit={submit} role="search">
        <Field label={t('audit.filterAction')} hint={t('audit.filterHint')}>
          <Input value={action} onChange={(_, d) => setAction(d.value)} placeholder="avatar.consent" />
        </Field>
        <Button type="submit">{t('videos.searchGo')}</Button>
      </form>
      {entries.error ? <ErrorBar error={entries.error} onRetry={entries.reload} /> : null}
      {!entries.data && entries.loading ? <Loading /> : null}
      {entries.data && !items.length ? <EmptyState title={t('audit.emptyTitle')}>{t('audit.emptyBody')}</EmptyState> : null}
      {items.length ? (
        <>
          <Table className={s.table} aria-label={t('audit.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('audit.when')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.who')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.what')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.target')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.details')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((e) => (
                <TableRow key={String(e.id)}>
                  <TableCell>{f.dateTime(e.created_at)}</TableCell>
                  <TableCell>{e.user_email ?? (e.user_id ? e.user_id.slice(0, 8) : t('audit.system'))}</TableCell>
                  <TableCell>
                    <Text block>{ACTIONS[e.action] ? t(ACTIONS[e.action]!) : e.action}</Text>
                    <span className={s.code}>{e.action}</span>
                  </TableCell>
                  <TableCell>{e.target_type ? `${e.target_type} ${e.target_id?.slice(0, 8) ?? ''}` : '—'}</TableCell>
                  <TableCell>
                    <span className={s.details} title={e.details ? JSON.stringify(e.details) : undefined}>
                      {e.details ? JSON.stringify(e.details) : '—'}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav className={s.pager} aria-label={t('common.pages')}>
            <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t('common.previous')}
            </Button>
            <Text>{t('common.pageOf', { page, pages, total: f.number(entries.data?.total ?? 0) })}</Text>
            <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t('common.next')}
            </Button>
          </nav>
        </>
      ) : null}
    </>
  );
}
