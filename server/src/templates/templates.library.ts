import { EN } from './library.en';
import { VI } from './library.vi';
import type { BuiltinTemplate } from './templates.repository';

/**
 * The built-in library seeded into every tenant: sales (cold outreach, follow-up, product demo), customer
 * success (onboarding, support answer, thank you), HR (offer, welcome aboard), real estate (property tour,
 * follow-up, market update), each in English and Vietnamese. Raise LIBRARY_VERSION when a text changes:
 * every tenant's copy is rewritten at the next start (or first use).
 */
export const LIBRARY_VERSION = 1;

export const LIBRARY: readonly BuiltinTemplate[] = [
  ...EN.map(({ slug, ...t }) => ({ ...t, key: `${t.use_case}.${slug}.en`, version: LIBRARY_VERSION, language: 'en' as const })),
  ...VI.map(({ slug, ...t }) => ({ ...t, key: `${t.use_case}.${slug}.vi`, version: LIBRARY_VERSION, language: 'vi' as const })),
];
