import {
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
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../app/i18n';
import { navigateAfterDialog } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { AvatarStatus } from '../components/AvatarStatus';
import { EmptyState, ErrorBar, Loading, PageHeader } from '../components/ui';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: tokens.spacingHorizontalL, listStyle: 'none', margin: 0, padding: 0 },
  card: { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, overflow: 'hidden', display: 'flex', flexDirection: 'column' },
  photo: { width: '100%', aspectRatio: '3 / 4', objectFit: 'cover', backgroundColor: tokens.colorNeutralBackground3, display: 'block' },
  body: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  muted: { color: tokens.colorNeutralForeground2 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The workspace's avatars; users and admins create new ones (then add a photo, consent and a voice on its page). */
export function Avatars() {
  const s = useStyles();
  const { t } = useI18n();
  const { api, can } = useServices();
  const list = useAsync(() => api.avatars(), [api]);
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader title={t('avatars.title')} subtitle={t('avatars.subtitle')} actions={can.write ? <CreateAvatar /> : undefined} />
      {list.error ? <ErrorBar error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? (
        <EmptyState title={t('avatars.emptyTitle')} action={can.write ? <CreateAvatar /> : undefined}>
          {can.write ? t('avatars.emptyBody') : t('avatars.emptyViewer')}
        </EmptyState>
      ) : null}
      {items.length ? (
        <ul className={s.grid}>
          {items.map((a) => (
            <li key={a.id} className={s.card}>
              {a.photo_url ? <img className={s.photo} src={a.photo_url} alt={t('avatars.photoOf', { name: a.name })} /> : <span className={s.photo} aria-hidden="true" />}
              <div className={s.body}>
                <AppLink to={`/avatars/${a.id}`} className={s.name}>
                  {a.name}
                </AppLink>
                <span>
                  <AvatarStatus avatar={a} />
                </span>
                <Text className={s.muted}>
                  {a.consent ? t('avatars.consentGiven') : t('avatars.consentMissing')} · {a.has_voice ? t('avatars.voiceYes') : t('avatars.voiceNo')}
                </Text>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function CreateAvatar() {
  const s = useStyles();
  const { t, locale } = useI18n();
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<'en' | 'vi'>(locale);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const a = await api.createAvatar({ name: name.trim(), language });
      setOpen(false);
      navigateAfterDialog(`/avatars/${a.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary">{t('avatars.create')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{t('avatars.createTitle')}</DialogTitle>
            <DialogContent className={s.form}>
              <Text>{t('avatars.createIntro')}</Text>
              <Field label={t('avatars.name')} required hint={t('avatars.nameHint')}>
                <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={100} />
              </Field>
              <Field label={t('avatars.language')}>
                <Select value={language} onChange={(_, d) => setLanguage(d.value === 'vi' ? 'vi' : 'en')}>
                  <option value="en">English</option>
                  <option value="vi">Tiếng Việt</option>
                </Select>
              </Field>
              {error ? <ErrorBar error={error} /> : null}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary">{t('common.cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={busy || !name.trim()}>
                {t('avatars.createSubmit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
