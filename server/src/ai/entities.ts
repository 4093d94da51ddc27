import type { Lang } from './language';

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const VI_WEEKDAYS = 'thứ (?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ nhật';

/** Date and time expressions, most specific first (a span is taken once). */
const DATE_PATTERNS: RegExp[] = [
  new RegExp(`\\b(?:(?:${WEEKDAYS}),?\\s+)?(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`, 'gi'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?(?:,?\\s+\\d{4})?\\b`, 'gi'),
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b/g,
  /\b(?:the\s+)?end\s+of\s+(?:next|this|the)\s+(?:week|month|quarter|year)\b/gi,
  new RegExp(`\\b(?:(?:last|next|this)\\s+)?(?:${WEEKDAYS})\\b`, 'gi'),
  /\b(?:next|this|last)\s+(?:week|month|quarter|year)\b/gi,
  /\b(?:tomorrow|today|tonight|this\s+(?:morning|afternoon|evening|weekend))\b/gi,
  /\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b/gi,
  /(?:ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|ngày\s+\d{1,2}\/\d{1,2}(?:\/\d{2,4})?)/gi,
  new RegExp(`(?:(?:cuối tuần|tuần)\\s+(?:này|sau|tới)(?:\\s*\\((?:${VI_WEEKDAYS})\\))?|${VI_WEEKDAYS}(?:\\s+(?:này|tới|sau))?)`, 'gi'),
  /(?:tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|ngày mai|hôm nay|sáng mai|chiều mai|cuối tháng(?:\s+này)?)/gi,
];

/** Finds date/time phrases; returns them and the text with those spans masked out. */
export function extractDates(text: string): { dates: string[]; masked: string } {
  const found: { at: number; text: string }[] = [];
  let masked = text;
  for (const re of DATE_PATTERNS) {
    masked = masked.replace(re, (m: string, ...rest: unknown[]) => {
      found.push({ at: rest.find((r) => typeof r === 'number') as number, text: m.trim() });
      return ' '.repeat(m.length);
    });
  }
  return { dates: uniqueByText(found.sort((a, b) => a.at - b.at).map((d) => d.text)), masked };
}

const EN_UNIT_STOP = /^(for|to|of|the|a|an|and|or|in|on|at|by|with|from|per|is|are|was|were|who|which|that|this|it|we|you|i|so|but|if|as)$/i;
const VI_UNIT_STOP = /^(ở|mỗi|cho|và|từ|của|với|là|vào|thì|nên|để|khi|đã|sẽ|có|không|nhé|ạ)$/i;
const MONEY = /(?:[$€£¥₫]\s?\d[\d.,]*(?:\s?(?:k|m|bn|million|billion|thousand))?|\d[\d.,]*\s?(?:usd|eur|vnd|vnđ|đồng|đ|dollars?|euros?)\b|\d[\d.,]*\s+(?:triệu|tỷ|tỉ|nghìn|ngàn|trăm)(?:\s+(?:đồng|usd|vnd))?)/gi;

/** Money amounts and counted quantities ("18 triệu đồng", "$5,000", "40 vehicles", "12 support agents", "15%"). */
export function extractNumbers(masked: string, lang: Lang): string[] {
  const out: string[] = [];
  let rest = masked.replace(MONEY, (m) => {
    out.push(m.trim());
    return ' '.repeat(m.length);
  });
  rest = rest.replace(/\b\d[\d.,]*\s?%/g, (m) => {
    out.push(m.trim());
    return ' '.repeat(m.length);
  });
  const re = /(?<![\p{L}\d])\d[\d.,]*(?:\s+[\p{L}-]+){0,3}/gu;
  for (const m of rest.matchAll(re)) {
    const [num, ...words] = m[0].split(/\s+/);
    if (!num) continue;
    const cleanNum = num.replace(/[.,]+$/, '');
    if (cleanNum !== num) words.length = 0; // "quận 2, giá thuê": punctuation right after the number ends it
    const unit: string[] = [];
    const stop = lang === 'vi' ? VI_UNIT_STOP : EN_UNIT_STOP;
    for (const w of words) {
      const bare = w.replace(/[.,;:!?)]+$/, '');
      if (!bare || stop.test(bare) || /^\d/.test(bare)) break;
      unit.push(bare);
      if (bare !== w) break; // punctuation ends the phrase
      // English: one noun, or adjective+plural noun ("support agents"); Vietnamese: up to two syllables.
      if (lang === 'en' && (unit.length === 2 || /s$/i.test(bare))) break;
      if (lang === 'vi' && unit.length === 2) break;
    }
    out.push([cleanNum, ...unit].join(' '));
  }
  return uniqueByText(out.filter((n) => /\d/.test(n)));
}

/** Case-insensitive de-duplication that keeps the first spelling. */
export function uniqueByText(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const k = s.toLowerCase();
    if (!s || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
