import type { SpeechMark } from './tts';
import type { PcmAudio } from './wav';

/** One phoneme from espeak's `-x` output: the symbol without stress/tone marks, and its stress. */
export interface Phoneme {
  symbol: string;
  stress: 0 | 1 | 2;
}
export type PhonemeClauses = Phoneme[][][];

/**
 * Parses `espeak-ng -q -x --sep=_` output: one clause per line, words split by spaces, phonemes by `_`.
 * Language-switch markers like `(en)` and syllable bars are dropped; tone digits are stripped.
 */
export function parseEspeakPhonemes(out: string): PhonemeClauses {
  return out
    .split('\n')
    .map((line) =>
      line
        .replace(/\([a-z-]+\)/g, '')
        .trim()
        .split(/\s+/)
        .map((w) => w.split('_').map(toPhoneme).filter((p): p is Phoneme => p !== null))
        .filter((w) => w.length > 0),
    )
    .filter((c) => c.length > 0);
}

function toPhoneme(raw: string): Phoneme | null {
  const stress = raw.includes("'") ? 2 : raw.includes(',') ? 1 : 0;
  let s = raw.replace(/['",%=|]/g, '');
  if (s.length > 1) s = s.replace(/[0-9#]+$/, '');
  if (!s || s === '#' || s === '-') return null;
  return { symbol: s, stress };
}

const VOWEL_START = /^[aAeEiIoOuUVyY@0-9&MW]/;

/** True for vowels (including diphthongs and espeak's digit-named vowels such as `3` = ɜ, `7` = ɤ). */
export function isVowel(symbol: string): boolean {
  return VOWEL_START.test(symbol);
}

/** Relative duration of a phoneme, from typical espeak timings: stressed and long vowels last longest, glides least. */
export function phonemeWeight(p: Phoneme): number {
  const s = p.symbol;
  if (isVowel(s)) {
    let w = p.stress === 2 ? 1.6 : p.stress === 1 ? 1.3 : 1.0;
    if (s.includes(':')) w *= 1.3;
    if (s.replace(':', '').length >= 2 && isVowel(s.slice(1))) w *= 1.3;
    return w;
  }
  if (/^(tS|dZ)/.test(s)) return 1.0;
  if (/^[pbtdkgc]/.test(s)) return 0.75;
  if (/^[mnN]/.test(s)) return 0.8;
  if (/^[fvszSZTDhxC]/.test(s)) return 0.9;
  return 0.6;
}

/** True for the bilabials that close the lips: m, b, p. */
export function isBilabial(symbol: string): boolean {
  return /^[mbp]/.test(symbol) && !/^(mj)/.test(symbol);
}

const HOP_SEC = 0.01;

/** Loudness in dB per 10 ms hop. */
function envelope(audio: PcmAudio): Float32Array {
  const per = Math.max(1, Math.round(audio.sampleRate * HOP_SEC));
  const n = Math.ceil(audio.samples.length / per);
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) {
    let sum = 0;
    const a = f * per;
    const b = Math.min(audio.samples.length, a + per);
    for (let i = a; i < b; i++) sum += (audio.samples[i] ?? 0) ** 2;
    const rms = b > a ? Math.sqrt(sum / (b - a)) : 0;
    out[f] = rms > 1e-6 ? 20 * Math.log10(rms) : -120;
  }
  return out;
}

function quantile(values: number[], q: number): number {
  if (!values.length) return -120;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))]!;
}

interface Span {
  start: number;
  end: number;
}

/** Voiced spans (hop indices), joining gaps shorter than `minGapHops` (stop closures inside words). */
function voicedSpans(env: Float32Array, minGapHops: number): Span[] {
  const loud = quantile(Array.from(env).filter((d) => d > -100), 0.95);
  const gate = Math.max(-55, loud - 35);
  const spans: Span[] = [];
  for (let i = 0; i < env.length; i++) {
    if (env[i]! <= gate) continue;
    const last = spans[spans.length - 1];
    if (last && i - last.end <= minGapHops) last.end = i + 1;
    else spans.push({ start: i, end: i + 1 });
  }
  return spans;
}

/**
 * Aligns espeak's phoneme sequence to its own audio (the CLI prints phonemes but no timings): clauses go to
 * the pauses nearest their expected position, phonemes spread by typical duration inside a clause, and
 * m/b/p are pulled to the nearest loudness dip (the lip closure). Returns word and phoneme marks.
 */
export function alignPhonemes(clauses: PhonemeClauses, audio: PcmAudio): SpeechMark[] {
  const env = envelope(audio);
  const spans = voicedSpans(env, 12);
  if (!spans.length || !clauses.length) return [];
  const clauseW = clauses.map((c) => c.flat().reduce((a, p) => a + phonemeWeight(p), 0));
  const totalW = clauseW.reduce((a, b) => a + b, 0);
  const first = spans[0]!.start;
  const last = spans[spans.length - 1]!.end;
  // Voiced time before each gap, to compare with the clause's expected share of the speech.
  const voicedTotal = spans.reduce((a, s) => a + s.end - s.start, 0);
  const gaps: { at: number; end: number; voicedBefore: number; len: number }[] = [];
  let acc = 0;
  for (let i = 0; i < spans.length - 1; i++) {
    acc += spans[i]!.end - spans[i]!.start;
    gaps.push({ at: spans[i]!.end, end: spans[i + 1]!.start, voicedBefore: acc, len: spans[i + 1]!.start - spans[i]!.end });
  }
  const bounds: Span[] = [];
  let cursor = first;
  let cum = 0;
  let nextGap = 0;
  for (let c = 0; c < clauses.length; c++) {
    cum += clauseW[c]!;
    if (c === clauses.length - 1) {
      bounds.push({ start: cursor, end: last });
      break;
    }
    const expected = (cum / totalW) * voicedTotal;
    let best = -1;
    let bestCost = 0.12;
    for (let g = nextGap; g < gaps.length; g++) {
      const gap = gaps[g]!;
      const cost = Math.abs(gap.voicedBefore - expected) / voicedTotal - Math.min(gap.len, 40) / 1000;
      if (cost < bestCost) {
        bestCost = cost;
        best = g;
      }
    }
    if (best >= 0) {
      bounds.push({ start: cursor, end: gaps[best]!.at });
      cursor = gaps[best]!.end;
      nextGap = best + 1;
    } else {
      const at = Math.round(first + (cum / totalW) * (last - first));
      const end = Math.max(cursor + 1, at);
      bounds.push({ start: cursor, end });
      cursor = end;
    }
  }
  return clauses.flatMap((clause, c) => placeClause(clause, bounds[c]!, env));
}

function placeClause(clause: Phoneme[][], span: Span, env: Float32Array): SpeechMark[] {
  const flat = clause.flat();
  const total = flat.reduce((a, p) => a + phonemeWeight(p), 0);
  const len = span.end - span.start;
  const starts: number[] = [];
  const ends: number[] = [];
  let t = span.start;
  for (const p of flat) {
    const d = (phonemeWeight(p) / total) * len;
    starts.push(t);
    ends.push(t + d);
    t += d;
  }
  // Lips close during the quietest moment near the predicted m/b/p.
  flat.forEach((p, i) => {
    if (!isBilabial(p.symbol)) return;
    const mid = (starts[i]! + ends[i]!) / 2;
    const half = (ends[i]! - starts[i]!) / 2;
    let bestAt = Math.round(mid);
    for (let h = Math.max(span.start, Math.round(mid - 6)); h <= Math.min(span.end - 1, Math.round(mid + 6)); h++) {
      if (env[h]! < env[bestAt]! - 0.5) bestAt = h;
    }
    starts[i] = Math.max(span.start, bestAt + 0.5 - half);
    ends[i] = Math.min(span.end, bestAt + 0.5 + half);
    if (i > 0) ends[i - 1] = Math.min(ends[i - 1]!, starts[i]!);
    if (i + 1 < flat.length) starts[i + 1] = Math.max(starts[i + 1]!, ends[i]!);
  });
  const marks: SpeechMark[] = [];
  let k = 0;
  for (const word of clause) {
    const a = k;
    for (const p of word) {
      marks.push({ kind: 'phoneme', startMs: Math.round(starts[k]! * 10), endMs: Math.round(ends[k]! * 10), value: p.symbol });
      k++;
    }
    marks.push({ kind: 'word', startMs: Math.round(starts[a]! * 10), endMs: Math.round(ends[k - 1]! * 10), value: word.map((p) => p.symbol).join('') });
  }
  return marks;
}
