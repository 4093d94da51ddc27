/** One sentence or list item of an email, in reading order. */
export interface TextUnit {
  text: string;
  index: number;
  /** True for bullet/numbered list items. */
  item: boolean;
  /** For list items: the line that introduced the list ("Could you tell me:"). */
  leadIn?: string;
}

const ITEM_RE = /^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+/i;
/** Sentence ends: . ! ? … followed by space and a capital, digit or quote (Vietnamese capitals included). */
const SENTENCE_END = /(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"“‘(])/u;
const ABBREV = /\b(mr|mrs|ms|dr|prof|e\.g|i\.e|etc|vs|no|st|approx|tp|q)\.$/i;

/** Splits cleaned email text into sentences and list items, remembering each list's lead-in line. */
export function splitUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  let leadIn: string | undefined;
  // A line break inside a paragraph is usually just wrapping; blank lines and list items break units.
  const paragraphs = text.split(/\n\s*\n/);
  for (const para of paragraphs) {
    const lines = para.split('\n').map((l) => l.trim()).filter(Boolean);
    let buffer = '';
    const flush = () => {
      for (const s of splitSentences(buffer)) {
        units.push({ text: s, index: units.length, item: false });
        leadIn = s.endsWith(':') ? s : undefined;
      }
      buffer = '';
    };
    for (const line of lines) {
      if (ITEM_RE.test(line)) {
        flush();
        const t = line.replace(ITEM_RE, '').trim();
        if (t) units.push({ text: t, index: units.length, item: true, ...(leadIn ? { leadIn } : {}) });
      } else {
        buffer = buffer ? `${buffer} ${line}` : line;
        if (/:$/.test(line)) flush();
      }
    }
    flush();
  }
  return units;
}

/** Sentence split that leaves abbreviations ("Dr.", "e.g.") and decimals alone. */
export function splitSentences(text: string): string[] {
  const parts = text.split(SENTENCE_END);
  const out: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev && ABBREV.test(prev)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Lower-cased content words (≥ 3 letters, not stop words) for overlap scoring. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOP.has(w));
}

const STOP = new Set([
  'the', 'and', 'for', 'you', 'your', 'our', 'are', 'was', 'with', 'that', 'this', 'have', 'has', 'will', 'from', 'but',
  'not', 'can', 'could', 'would', 'about', 'what', 'when', 'who', 'how', 'which', 'there', 'their', 'they', 'them', 'its',
  'một', 'những', 'các', 'của', 'cho', 'với', 'này', 'được', 'không', 'và', 'là', 'có', 'thì', 'nên', 'anh', 'chị', 'em',
]);
