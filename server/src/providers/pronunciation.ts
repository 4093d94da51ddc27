/**
 * Pronunciation: the text a TTS engine speaks, with words replaced by how to say them ("Nguyễn" → "Nwin").
 * Whole words (or phrases) only, case-insensitive, Unicode-aware (Vietnamese letters and combining marks
 * count as letters), longest entry first, in one pass so a replacement is never replaced again. The
 * transcript keeps the real spelling: only the engine gets the result.
 */

export interface PronunciationEntry {
  word: string;
  say_as: string;
}

export interface SpokenText {
  text: string;
  /** Entries that matched, with how often. */
  replaced: { word: string; say_as: string; count: number }[];
}

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}_]';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const key = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/** A compiled lexicon; build once per render and apply to any number of texts. */
export class Pronouncer {
  private readonly byKey = new Map<string, PronunciationEntry>();
  private readonly re: RegExp | null;

  /** Later entries win over earlier ones for the same word (a video's own entries over the tenant lexicon). */
  constructor(entries: Iterable<PronunciationEntry>) {
    for (const e of entries) {
      const k = key(e.word);
      const say = e.say_as.normalize('NFC').trim();
      if (!k || !say || !/[\p{L}\p{N}]/u.test(k)) continue;
      this.byKey.set(k, { word: e.word.normalize('NFC').trim(), say_as: say });
    }
    const words = [...this.byKey.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.re = words.length
      ? new RegExp(`(?<!${WORD_CHAR})(?:${words.map((w) => w.split(' ').map(escape).join('\\s+')).join('|')})(?!${WORD_CHAR})`, 'giu')
      : null;
  }

  get size(): number {
    return this.byKey.size;
  }

  apply(text: string): SpokenText {
    const nfc = text.normalize('NFC');
    if (!this.re) return { text: nfc, replaced: [] };
    const counts = new Map<string, number>();
    const out = nfc.replace(this.re, (m) => {
      const k = key(m);
      const e = this.byKey.get(k) ?? this.findCaseless(m);
      if (!e) return m;
      counts.set(key(e.word), (counts.get(key(e.word)) ?? 0) + 1);
      return e.say_as;
    });
    const replaced = [...counts].map(([k, count]) => ({ ...this.byKey.get(k)!, count }));
    return { text: out, replaced };
  }

  /** For letters whose lower case differs from the regex's case folding (rare): compare entry by entry. */
  private findCaseless(m: string): PronunciationEntry | undefined {
    for (const e of this.byKey.values()) {
      if (new RegExp(`^${e.word.split(/\s+/).map(escape).join('\\s+')}$`, 'iu').test(m)) return e;
    }
    return undefined;
  }
}

/** Entries from a `Record<word, say-as>` (the shape of `videos.options.pronunciations`). */
export const entriesOf = (map: Record<string, string> | undefined | null): PronunciationEntry[] =>
  map && typeof map === 'object' ? Object.entries(map).filter(([, v]) => typeof v === 'string').map(([word, say_as]) => ({ word, say_as })) : [];
