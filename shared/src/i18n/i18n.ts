import { en, type MessageKey } from './en';
import { vi } from './vi';

export type Locale = 'en' | 'vi';
export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const LOCALES: readonly Locale[] = ['en', 'vi'];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, vi };

/** Picks the catalogue for a BCP-47 tag such as Office's displayLanguage ("vi-VN" → vi); English otherwise. */
export function localeFor(tag: string | null | undefined): Locale {
  return (tag ?? '').toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

/** Returns a translate function for a locale; {name} placeholders are filled from vars. */
export function translator(locale: Locale): Translate {
  const messages = CATALOGUES[locale];
  return (key, vars) => {
    const template = messages[key] ?? en[key] ?? key;
    return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
  };
}

/** "0:42" / "1:05" for durations in seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
