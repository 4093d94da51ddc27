import { Button, Field, Input, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ApiClient } from '@mvs/shared/api/api-client';
import type { AuthConfig } from '@mvs/shared/api/api-types';
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../app/i18n';
import { describeError } from '../app/services';
import { LanguagePicker } from '../components/LanguagePicker';

const useStyles = makeStyles({
  page: { minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalL },
  card: {
    width: '100%',
    maxWidth: '400px',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusXLarge,
    boxShadow: tokens.shadow16,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  or: { textAlign: 'center', color: tokens.colorNeutralForeground2 },
  top: { display: 'flex', justifyContent: 'space-between', alignItems: 'center' },
  brand: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorBrandForeground1 },
});

/** Email + password (and Microsoft when the server has an Entra app). Stays on the page the user asked for. */
export function SignIn({ api, notice, onSignedIn }: { api: ApiClient; notice?: string; onSignedIn(): void }) {
  const s = useStyles();
  const { t, locale } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [config, setConfig] = useState<AuthConfig | null>(null);

  useEffect(() => {
    api.authConfig().then(setConfig, () => setConfig({ entra: null }));
  }, [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError(t('signIn.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.login(email.trim(), password);
      onSignedIn();
    } catch (err) {
      setError(describeError(err, t, locale));
      setBusy(false);
    }
  };

  const microsoft = async () => {
    if (!config?.entra) return;
    setBusy(true);
    setError(null);
    try {
      const { microsoftAccessToken } = await import(/* webpackChunkName: "entra" */ './entra');
      await api.loginWithEntra(await microsoftAccessToken(config.entra));
      onSignedIn();
    } catch (err) {
      setError(describeError(err, t, locale));
      setBusy(false);
    }
  };

  return (
    <main className={s.page}>
      <form className={s.card} onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <div className={s.top}>
          <Text className={s.brand}>Mail Video</Text>
          <LanguagePicker />
        </div>
        <h1 id="sign-in-title" className={s.title}>
          {t('signIn.title')}
        </h1>
        <Text>{t('signIn.intro')}</Text>
        {notice ? (
          <MessageBar intent="warning" role="status">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        ) : null}
        {error ? (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        ) : null}
        <Field label={t('signIn.email')} required>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <Field label={t('signIn.password')} required>
          <Input type="password" autoComplete="current-password" value={password} onChange={(_, d) => setPassword(d.value)} />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </Button>
        {config?.entra ? (
          <>
            <Text className={s.or}>{t('signIn.or')}</Text>
            <Button onClick={microsoft} disabled={busy}>
              {t('signIn.microsoft')}
            </Button>
          </>
        ) : null}
      </form>
    </main>
  );
}
