import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { ApiError, type ApiClient } from '@mvs/shared/api/api-client';
import type { Me } from '@mvs/shared/api/api-types';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { SignIn } from '../auth/SignIn';
import { Loading } from '../components/ui';
import { I18nProvider, useI18n } from './i18n';
import { rolePowers, ServicesContext, type Services } from './services';
import { Shell } from './Shell';

type Auth = { state: 'loading' } | { state: 'signedOut'; notice?: 'expired' } | { state: 'signedIn'; me: Me };

function Root({ api }: { api: ApiClient }) {
  const { t } = useI18n();
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });

  /** `resumed`: a stored session is being reopened; if the server refuses it, say that it ended. */
  const loadMe = useCallback(
    async (resumed = false) => {
      try {
        setAuth({ state: 'signedIn', me: await api.me() });
      } catch (e) {
        setAuth({ state: 'signedOut', ...(resumed && e instanceof ApiError && e.status === 401 ? { notice: 'expired' as const } : {}) });
      }
    },
    [api],
  );

  useEffect(() => {
    if (api.session.signedIn) void loadMe(true);
    else setAuth({ state: 'signedOut' });
    // A 401 that a refresh cannot fix (expired, revoked, deactivated): back to sign-in, on the same page.
    return api.onSignedOut(() => setAuth((a) => (a.state === 'signedIn' ? { state: 'signedOut', notice: 'expired' } : a)));
  }, [api, loadMe]);

  const services = useMemo<Services | null>(
    () =>
      auth.state === 'signedIn'
        ? {
            api,
            me: auth.me,
            can: rolePowers(auth.me.user.role),
            signOut: async () => {
              await api.logout();
              setAuth({ state: 'signedOut' });
            },
            reloadMe: () => loadMe(),
          }
        : null,
    [api, auth, loadMe],
  );

  if (auth.state === 'loading') return <Loading />;
  if (auth.state === 'signedOut' || !services) {
    return <SignIn api={api} notice={auth.state === 'signedOut' && auth.notice === 'expired' ? t('signIn.expired') : undefined} onSignedIn={() => void loadMe()} />;
  }
  return (
    <ServicesContext.Provider value={services}>
      <Shell />
    </ServicesContext.Provider>
  );
}

/** Fluent theme, language, and the signed-in state around the routes. */
export function App({ api }: { api: ApiClient }) {
  return (
    <FluentProvider theme={webLightTheme}>
      <I18nProvider>
        <Root api={api} />
      </I18nProvider>
    </FluentProvider>
  );
}
