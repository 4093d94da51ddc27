import type { Lang } from './language';

/**
 * Speaking rates used to budget scripts, in words per minute (Vietnamese counts syllables, which it writes
 * as separate words). Natural voices (OpenAI, ElevenLabs, people) speak ~150 wpm in English; espeak-ng's
 * default voice measured faster on this machine (en ≈ 170–190 wpm, vi ≈ 215–230 syllables/min on the
 * drafted scripts), so a script budgeted at these rates fits the chosen length on every engine.
 */
export const WORDS_PER_MINUTE: Record<Lang, number> = { en: 150, vi: 160 };

/** Spoken words in a script (numbers and tokens count as one word each). */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Seconds a natural voice needs for the text (rounded up). */
export function estimateSeconds(text: string, lang: Lang): number {
  return Math.ceil((countWords(text) / WORDS_PER_MINUTE[lang]) * 60);
}

/** The most words that fit in `seconds`. */
export function wordBudget(seconds: number, lang: Lang): number {
  return Math.floor((seconds * WORDS_PER_MINUTE[lang]) / 60);
}
