import { Body1, Button, Divider, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import type { AuthConfig } from '@mvs/shared/api/api-types';
import { describeError, useI18n, useServices } from '../services';
import { Section } from './Section';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Email + password against our API; "Sign in with Microsoft" (NAA) when the server has an Entra app. */
export function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const styles = useStyles();
  const { api, mailbox, microsoftLoginHint } = useServices();
  const { t } = useI18n();
  const [email, setEmail] = useState(mailbox.user().email ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [entra, setEntra] = useState<AuthConfig['entra']>(null);

  useEffect(() => {
    api.authConfig().then((c) => setEntra(c.entra), () => setEntra(null));
  }, [api]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onSignedIn();
    } catch (e) {
      setError(t('signIn.failed', { message: describeError(e, t) }));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) return setError(t('signIn.missing'));
    void run(() => api.login(email.trim(), password));
  };

  const microsoft = () =>
    run(async () => {
      if (!entra) return;
      // MSAL is large, so it loads only when someone actually signs in with Microsoft.
      const { microsoftAccessToken } = await import(/* webpackChunkName: "entra" */ '../../auth/entra');
      await api.loginWithEntra(await microsoftAccessToken(entra, await microsoftLoginHint()));
    });

  return (
    <Section title={t('signIn.title')}>
      <Body1>{t('signIn.intro')}</Body1>
      <form className={styles.form} onSubmit={submit}>
        <Field label={t('signIn.email')} required>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <Field label={t('signIn.password')} required>
          <Input type="password" autoComplete="current-password" value={password} onChange={(_, d) => setPassword(d.value)} />
        </Field>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </Button>
      </form>
      {entra && (
        <>
          <Divider>{t('signIn.or')}</Divider>
          <Button onClick={microsoft} disabled={busy}>
            {t('signIn.microsoft')}
          </Button>
        </>
      )}
    </Section>
  );
}
