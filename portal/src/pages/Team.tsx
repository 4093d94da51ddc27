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
import type { Role, User } from '@mvs/shared/api/api-types';
import { passwordProblems } from '@mvs/shared/schemas/auth';
import { useState, type FormEvent } from 'react';
import { useI18n, type PortalKey } from '../app/i18n';
import { useAsync, useServices } from '../app/services';
import { ConfirmButton } from '../components/Confirm';
import { EmptyState, ErrorBar, Loading, Notice, PageHeader } from '../components/ui';

const ROLES: Role[] = ['admin', 'user', 'viewer'];

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  actionsCol: { width: '340px' },
  personCol: { width: '28%' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground2 },
  rules: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** Users and roles (admin, user, viewer): invite, change a role, deactivate, sign out everywhere. Admins only. */
export function Team() {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api, can, me } = useServices();
  const users = useAsync(() => (can.admin ? api.users() : Promise.resolve(null)), [api, can.admin]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!can.admin) {
    return (
      <>
        <PageHeader title={t('team.title')} />
        <EmptyState title={t('team.adminsOnly')}>{t('team.adminsOnlyBody')}</EmptyState>
      </>
    );
  }

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
      users.reload();
    } catch (e) {
      setError(e);
    }
  };

  const list = users.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('team.title')} subtitle={t('team.subtitle')} actions={<Invite onInvited={(u) => act(async () => undefined, t('team.invited', { email: u.email }))} />} />
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      {users.error ? <ErrorBar error={users.error} onRetry={users.reload} /> : null}
      {!users.data && users.loading ? <Loading /> : null}
      {list.length ? (
        <Table className={s.table} aria-label={t('team.title')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={s.personCol}>{t('team.person')}</TableHeaderCell>
              <TableHeaderCell>{t('team.role')}</TableHeaderCell>
              <TableHeaderCell>{t('team.state')}</TableHeaderCell>
              <TableHeaderCell>{t('team.since')}</TableHeaderCell>
              <TableHeaderCell className={s.actionsCol}>{t('team.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.map((u) => {
              const self = u.id === me.user.id;
              return (
                <TableRow key={u.id}>
                  <TableCell>
                    <Text block weight="semibold">
                      {u.full_name || u.email}
                    </Text>
                    <Text className={s.muted}>{u.email}</Text>
                  </TableCell>
                  <TableCell>
                    <Select
                      aria-label={t('team.roleOf', { name: u.full_name || u.email })}
                      value={u.role}
                      disabled={self || !u.is_active}
                      onChange={(_, d) => void act(() => api.updateUser(u.id, { role: d.value as Role }), t('team.roleChanged', { email: u.email, role: t(`role.${d.value as Role}`) }))}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </Select>
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={u.is_active ? 'success' : 'subtle'}>
                      {u.is_active ? t('team.active') : t('team.inactive')}
                    </Badge>
                  </TableCell>
                  <TableCell>{f.date(u.created_at)}</TableCell>
                  <TableCell>
                    {self ? (
                      <Text className={s.muted}>{t('team.you')}</Text>
                    ) : (
                      <span className={s.actions}>
                        <ConfirmButton
                          label={t('team.signOutEverywhere')}
                          title={t('team.signOutTitle', { email: u.email })}
                          body={t('team.signOutBody')}
                          confirm={t('team.signOutEverywhere')}
                          danger={false}
                          onConfirm={() => act(() => api.signOutEverywhere(u.id), t('team.signedOut', { email: u.email }))}
                        />
                        {u.is_active ? (
                          <ConfirmButton
                            label={t('team.deactivate')}
                            title={t('team.deactivateTitle', { email: u.email })}
                            body={t('team.deactivateBody')}
                            confirm={t('team.deactivate')}
                            onConfirm={() => act(() => api.deactivateUser(u.id), t('team.deactivated', { email: u.email }))}
                          />
                        ) : (
                          <Button onClick={() => void act(() => api.updateUser(u.id, { is_active: true }), t('team.reactivated', { email: u.email }))}>{t('team.reactivate')}</Button>
                        )}
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      ) : null}
    </>
  );
}

const RULE_KEYS: Record<string, PortalKey> = { min_length: 'team.rule.min_length', uppercase: 'team.rule.uppercase', lowercase: 'team.rule.lowercase', digit: 'team.rule.digit' };

function Invite({ onInvited }: { onInvited(u: User): void }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problems = passwordProblems(password);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await api.inviteUser({ email: email.trim(), role, password, ...(name.trim() ? { full_name: name.trim() } : {}) });
      setOpen(false);
      setEmail('');
      setName('');
      setPassword('');
      onInvited(u);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary">{t('team.invite')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{t('team.inviteTitle')}</DialogTitle>
            <DialogContent className={s.form}>
              <Field label={t('team.email')} required>
                <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
              </Field>
              <Field label={t('team.name')}>
                <Input value={name} onChange={(_, d) => setName(d.value)} />
              </Field>
              <Field label={t('team.role')} hint={t(`team.roleHint.${role}`)}>
                <Select value={role} onChange={(_, d) => setRole(d.value as Role)}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t('team.password')} required hint={t('team.passwordHint')} validationState={password && problems.length ? 'warning' : 'none'}>
                <Input type="password" autoComplete="new-password" value={password} onChange={(_, d) => setPassword(d.value)} />
              </Field>
              {password && problems.length ? (
                <ul className={s.rules} aria-label={t('team.passwordNeeds')}>
                  {problems.map((p) => (
                    <li key={p.id}>{RULE_KEYS[p.id] ? t(RULE_KEYS[p.id]!) : p.message}</li>
                  ))}
                </ul>
              ) : null}
              {error ? <ErrorBar error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary">{t('common.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={busy || !email.trim() || problems.length > 0}>
                {t('team.inviteSubmit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
