import { describe, expect, it } from 'vitest';
import { portalEn } from './portal.en';
import { portalVi } from './portal.vi';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('portal catalogues', () => {
  it('have exactly the same keys in English and Vietnamese', () => {
    expect(Object.keys(portalVi).sort()).toEqual(Object.keys(portalEn).sort());
  });

  it('give every key a non-empty Vietnamese text with the same placeholders, translated (not copied) where words are', () => {
    // Brand and protocol names read the same in both languages.
    const same = new Set(['signIn.email', 'team.email', 'videos.video', 'nav.videos', 'videos.avatar', 'nav.avatars', 'avatars.title', 'videos.title', 'settings.tab.webhooks', 'settings.logo', 'wizard.field.email']);
    for (const key of Object.keys(portalEn) as (keyof typeof portalEn)[]) {
      expect(portalVi[key].trim(), key).not.toBe('');
      expect(placeholders(portalVi[key]), key).toEqual(placeholders(portalEn[key]));
      if (!same.has(key)) expect(portalVi[key], key).not.toBe(portalEn[key]);
    }
  });
});
