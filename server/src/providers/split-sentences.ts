/** Sentence-final punctuation (Latin, Vietnamese uses the same marks, CJK full-width) and closing quotes after it. */
const SENTENCE_END = /(?<=[.!?…。！？]+["'”’»)\]]*)\s+|\s*\n+\s*/u;
/** Clause breaks used when one sentence is longer than the limit. */
const CLAUSE_END = /(?<=[,;:，；：—–])\s+/u;

/**
 * Splits a script into parts of at most `maxChars` characters, cutting at sentence ends first, then at clause
 * punctuation, then at spaces, and only as a last resort inside a word. Parts are trimmed and never empty;
 * text is NFC-normalized so Vietnamese diacritics never get separated from their letters.
 */
export function splitSentences(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  const sentences = text
    .normalize('NFC')
    .split(SENTENCE_END)
    .map((s) => s.replace(/\s+/gu, ' ').trim())
    .filter(Boolean);
  const pieces = sentences.flatMap((s) => (s.length <= maxChars ? [s] : splitLong(s, maxChars)));
  return pack(pieces, maxChars);
}

/** Greedily joins pieces with a space while the result stays within the limit. */
function pack(pieces: string[], maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const p of pieces) {
    if (!current) current = p;
    else if (current.length + 1 + p.length <= maxChars) current = `${current} ${p}`;
    else {
      out.push(current);
      current = p;
    }
  }
  if (current) out.push(current);
  return out;
}

function splitLong(sentence: string, maxChars: number): string[] {
  const clauses = sentence.split(CLAUSE_END).filter(Boolean);
  if (clauses.length > 1) return pack(clauses.flatMap((c) => (c.length <= maxChars ? [c] : splitLong(c, maxChars))), maxChars);
  const words = sentence.split(' ').filter(Boolean);
  if (words.length > 1) return pack(words.flatMap((w) => (w.length <= maxChars ? [w] : hardCut(w, maxChars))), maxChars);
  return hardCut(sentence, maxChars);
}

/** Cuts a single overlong word at the limit without splitting a surrogate pair. */
function hardCut(word: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (rest.length > maxChars) {
    let cut = maxChars;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff && cut > 1) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}
