import { describe, expect, it } from 'vitest';
import { en } from './en';
import { formatDuration, localeFor, translator } from './i18n';
import { vi } from './vi';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogues', () => {
  it('gives every English string a non-empty Vietnamese translation with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(vi[key], key).toBeTruthy();
      expect(placeholders(vi[key]), key).toEqual(placeholders(en[key]));
    }
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
  });

  it('follows Office display languages and falls back to English', () => {
    expect(localeFor('vi-VN')).toBe('vi');
    expect(localeFor('VI')).toBe('vi');
    expect(localeFor('en-GB')).toBe('en');
    expect(localeFor('fr-FR')).toBe('en');
    expect(localeFor(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('vi');
    expect(t('video.progress', { stage: 'Xong', n: 100 })).toBe('Xong · 100%');
    expect(translator('en')('signIn.failed', {})).toBe('Sign-in failed: {message}');
  });

  it('formats spoken durations as m:ss', () => {
    expect(formatDuration(42.4)).toBe('0:42');
    expect(formatDuration(65)).toBe('1:05');
  });
});
