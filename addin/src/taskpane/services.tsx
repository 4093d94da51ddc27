import { translator, type Locale, type Translate } from '@mvs/shared/i18n/i18n';
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError, type ApiClient } from '@mvs/shared/api/api-client';
import type { Mailbox } from '../office/mailbox';

/** Everything the pane talks to, injected at the composition root (index.tsx). */
export interface Services {
  api: ApiClient;
  mailbox: Mailbox;
  /** Login hint for Microsoft sign-in (from Office's auth context). */
  microsoftLoginHint(): Promise<string | undefined>;
  portalUrl: string;
}

const ServicesContext = createContext<Services | null>(null);
const I18nContext = createContext<{ locale: Locale; t: Translate; setLocale(l: Locale): void } | null>(null);

export function Providers({ services, initialLocale, children }: { services: Services; initialLocale: Locale; children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const i18n = useMemo(() => ({ locale, t: translator(locale), setLocale }), [locale]);
  return (
    <ServicesContext.Provider value={services}>
      <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>
    </ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <Providers>');
  return s;
}

export function useI18n() {
  const i = useContext(I18nContext);
  if (!i) throw new Error('useI18n outside <Providers>');
  return i;
}

/** Turns any failure into words for the user. */
export function describeError(e: unknown, t: Translate): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network');
    if (e.status === 401) return t('error.session');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
