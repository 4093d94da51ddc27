import { localeFor, type Locale } from '@mvs/shared/i18n/i18n';
import { portalEn, type PortalKey } from '@mvs/shared/i18n/portal.en';
import { portalVi } from '@mvs/shared/i18n/portal.vi';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type { PortalKey };
export type T = (key: PortalKey, vars?: Record<string, string | number>) => string;

const CATALOGUES: Record<Locale, Record<PortalKey, string>> = { en: portalEn, vi: portalVi };
const STORE_KEY = 'mvs.portal.locale';

/** The saved choice, else the browser's first language (vi → Vietnamese, anything else → English). */
export function initialLocale(): Locale {
  const saved = window.localStorage.getItem(STORE_KEY);
  if (saved === 'en' || saved === 'vi') return saved;
  return localeFor(navigator.languages?.[0] ?? navigator.language);
}

export function translate(locale: Locale): T {
  const messages = CATALOGUES[locale];
  return (key, vars) => {
    const template = messages[key] ?? portalEn[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
  };
}

const DAY = 86_400_000;

/** Numbers, percentages, dates and "2 min ago" in the chosen language, through Intl. */
export function formatters(locale: Locale) {
  const tag = locale === 'vi' ? 'vi-VN' : 'en-US';
  const num = new Intl.NumberFormat(tag);
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const dayShort = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const rel = new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' });
  const bytes = (n: number) => (n >= 1024 * 1024 ? `${num.format(Math.round((n / 1024 / 1024) * 10) / 10)} MB` : `${num.format(Math.round(n / 1024))} KB`);
  return {
    tag,
    number: (n: number) => num.format(n),
    percent: (p: number) => pct.format(p / 100),
    date: (iso: string) => date.format(new Date(iso)),
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    /** "27 Nov" for a UTC day "2026-11-27". */
    day: (day: string) => dayShort.format(new Date(`${day}T00:00:00Z`)),
    bytes,
    /** "2 min ago", "yesterday", "3 days ago" (lower case: it sits inside a sentence). */
    ago: (iso: string, now = Date.now()) => {
      const s = Math.round((new Date(iso).getTime() - now) / 1000);
      const a = Math.abs(s);
      const text =
        a < 45
          ? rel.format(0, 'second')
          : a < 3600
            ? rel.format(Math.round(s / 60), 'minute')
            : a < DAY / 1000
              ? rel.format(Math.round(s / 3600), 'hour')
              : a < (30 * DAY) / 1000
                ? rel.format(Math.round(s / 86400), 'day')
                : date.format(new Date(iso));
      return text.charAt(0).toLocaleLowerCase(tag) + text.slice(1);
    },
  };
}
export type Formatters = ReturnType<typeof formatters>;

interface I18n {
  locale: Locale;
  t: T;
  f: Formatters;
  setLocale(l: Locale): void;
}
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: translate(locale),
      f: formatters(locale),
      setLocale: (l) => {
        window.localStorage.setItem(STORE_KEY, l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside <I18nProvider>');
  return v;
}
