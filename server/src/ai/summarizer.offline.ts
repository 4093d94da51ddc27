import { cleanEmailText, htmlToText, looksLikeHtml } from '@mvs/shared/email/clean-text';
import type { SummarizeResponse } from '@mvs/shared/schemas/emails';
import { askText, isAsk } from './asks';
import { extractDates, extractNumbers } from './entities';
import { resolveLanguage, type Lang } from './language';
import { givenName } from './names';
import { extractPeople } from './people';
import { contentWords, splitUnits, type TextUnit } from './text-units';

export interface EmailInput {
  subject: string;
  body: string;
  from?: { name?: string; email: string };
  to?: { name?: string; email: string }[];
  language?: 'auto' | Lang;
}

/** Everything the offline engines learn from one email; shared by the summarizer and the script drafter. */
export interface EmailFacts {
  lang: Lang;
  subject: string;
  text: string;
  units: TextUnit[];
  asks: TextUnit[];
  people: string[];
  dates: string[];
  numbers: string[];
}

const GREETING = /^(hi|hello|hey|dear|good (morning|afternoon|evening)|chào|xin chào|kính gửi|gửi)\b|ơi,?$/i;
const THANKS_ONLY = /^(thanks|thank you|many thanks|cảm ơn|em cảm ơn|xin cảm ơn)[^.?]{0,30}[.!]?$/i;
const SIGN_OFF = /^[\p{L} .]{1,30}$/u;

/** Strips "Re:"/"Fwd:"/"TL:"/"Chuyển tiếp:" prefixes from a subject. */
export function topicOf(subject: string): string {
  return subject.replace(/^(\s*(re|fw|fwd|aw|tr|tl|trả lời|chuyển tiếp)\s*:\s*)+/i, '').trim();
}

/** Cleans the email and extracts language, units, asks, people, dates and numbers. */
export function analyzeEmail(input: EmailInput): EmailFacts {
  // A bare forward has no words of its own: then the quoted message is what there is to summarize.
  const text = cleanEmailText(input.body) || (looksLikeHtml(input.body) ? htmlToText(input.body) : input.body.trim());
  const lang = resolveLanguage(input.language, `${input.subject}\n${text}`);
  const units = splitUnits(text);
  const joined = units.map((u) => u.text).join('\n');
  const { dates, masked } = extractDates(joined);
  const headerNames = [input.from?.name, ...(input.to ?? []).map((t) => t.name)].filter((n): n is string => !!n);
  return {
    lang,
    subject: topicOf(input.subject),
    text,
    units,
    asks: units.filter((u) => isAsk(u, lang)),
    people: extractPeople(units.map((u) => u.text), headerNames, lang),
    dates,
    numbers: extractNumbers(masked, lang),
  };
}

/** Scores a unit for the summary: asks, facts (dates, numbers, names), subject overlap, early position. */
function score(u: TextUnit, facts: EmailFacts, subjectWords: Set<string>): number {
  const t = u.text;
  if (GREETING.test(t) && t.split(/\s+/).length <= 6) return -1;
  if (THANKS_ONLY.test(t) || (SIGN_OFF.test(t) && t.split(/\s+/).length <= 3 && !t.includes('?'))) return -1;
  let s = 1 / (1 + u.index * 0.3);
  if (isAsk(u, facts.lang)) s += 2;
  const lower = t.toLowerCase();
  for (const list of [facts.dates, facts.numbers, facts.people]) {
    for (const x of list) if (lower.includes(x.toLowerCase())) s += 0.7;
  }
  const words = contentWords(t);
  s += (words.filter((w) => subjectWords.has(w)).length / Math.max(3, words.length)) * 2;
  if (words.length < 3) s -= 0.5;
  return s;
}

const MAX_ITEMS = 25;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1).replace(/\s+\S*$/, '')}…`);

/** Extractive summary without any model: a lead sentence, the top units as bullets, and the facts. */
export function summarizeOffline(input: EmailInput): SummarizeResponse {
  const facts = analyzeEmail(input);
  const subjectWords = new Set(contentWords(facts.subject));
  const ranked = facts.units
    .map((u) => ({ u, s: score(u, facts, subjectWords) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  const bullets = ranked.slice(0, 5).sort((a, b) => a.u.index - b.u.index).map((x) => clip(x.u.item ? askText(x.u) : x.u.text, 200));
  const top = ranked.find((x) => !x.u.item)?.u.text ?? ranked[0]?.u.text ?? '';
  const who = givenName(input.from?.name)?.given ?? input.from?.email ?? (facts.lang === 'vi' ? 'Người gửi' : 'The sender');
  const n = facts.asks.length;
  const topic = facts.subject || (facts.lang === 'vi' ? 'thư này' : 'this email');
  const lead =
    facts.lang === 'vi'
      ? `${who} viết về "${topic}"${n ? ` và cần ${n} việc` : ''}.`
      : `${who} writes about "${topic}"${n ? ` and asks for ${n} thing${n > 1 ? 's' : ''}` : ''}.`;
  return {
    summary: clip(top ? `${lead} ${top}` : lead, 600),
    bullets,
    // Caps keep the answer small for pathological inputs (a 100 KB list of questions).
    asks: facts.asks.slice(0, MAX_ITEMS).map((u) => clip(askText(u), 240)),
    people: facts.people.slice(0, MAX_ITEMS),
    dates: facts.dates.slice(0, MAX_ITEMS),
    numbers: facts.numbers.slice(0, MAX_ITEMS),
    language: facts.lang,
    engine: 'offline',
  };
}
