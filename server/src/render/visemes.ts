/** Mouth classes a phoneme maps to (ARCHITECTURE §4: closed on m/b/p, rounded on o/u/w, open on vowels). */
export type Viseme = 'closed' | 'rounded' | 'open' | 'labiodental' | 'consonant';

export interface VisemeInfo {
  viseme: Viseme;
  /** How wide the jaw opens for this sound, 0–1 (scaled by loudness in the frame plan). */
  openness: number;
}

// espeak `-x` mnemonics (ASCII) and the IPA that espeak's event stream and other engines report.
const STRESS = /^[ˈˌ'",%=]+/;
const ROUNDED = /^(o|O|u|U|w|0|y|Y|W|ɔ|ɒ|ʊ|u|o|ø|œ|ɵ|ʉ|y|ʏ|w|ɥ|ɯ)/u;
const WIDE = /^(a|A|&|æ|ɑ|ɐ|ä|aɪ|aʊ)/u;
const MID = /^(e|E|@|3|V|ɛ|e|ə|ɜ|ɚ|ʌ|ɤ|7|6)/u;
const CLOSE = /^(i|I|ɪ|i|ɨ|M)/u;
const BILABIAL = /^(m|b|p|ɓ|ɱ)/u;
const LABIODENTAL = /^(f|v|ʋ)/u;

/** The mouth class and opening of one phoneme symbol. */
export function visemeOf(phoneme: string): VisemeInfo {
  const s = phoneme.replace(STRESS, '');
  if (!s) return { viseme: 'consonant', openness: 0.2 };
  if (BILABIAL.test(s) && !/^(mj)/.test(s)) return { viseme: 'closed', openness: 0 };
  if (LABIODENTAL.test(s)) return { viseme: 'labiodental', openness: 0.15 };
  if (WIDE.test(s)) return { viseme: 'open', openness: 1 };
  if (ROUNDED.test(s)) return { viseme: 'rounded', openness: 0.5 };
  if (MID.test(s)) return { viseme: 'open', openness: 0.75 };
  if (CLOSE.test(s)) return { viseme: 'open', openness: 0.5 };
  return { viseme: 'consonant', openness: 0.3 };
}
