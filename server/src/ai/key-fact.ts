import { isAsk } from './asks';
import type { EmailFacts } from './summarizer.offline';

const OPENER = /^(hi|hello|hey|dear|thanks|thank you|many thanks|great news|chào|xin chào|cảm ơn|em cảm ơn|xin cảm ơn)\b|ơi\b|:$/i;

/**
 * The statement that carries the most facts (numbers, dates, people named in the body) and is not a question,
 * greeting or thank-you — what a reply should show it understood: "We have 12 support agents … from January 4."
 */
export function keyFact(facts: EmailFacts, headerNames: string[] = []): string | null {
  let best: { text: string; n: number } | null = null;
  for (const u of facts.units) {
    const t = u.text;
    if (u.item || isAsk(u, facts.lang) || OPENER.test(t) || t.split(/\s+/).length > 30 || t.split(/\s+/).length < 4) continue;
    const lower = t.toLowerCase();
    const people = facts.people.filter((p) => !headerNames.includes(p));
    const n = [...facts.numbers, ...facts.dates, ...people].filter((x) => lower.includes(x.toLowerCase())).length;
    if (n > 0 && (!best || n > best.n)) best = { text: t, n };
  }
  return best?.text ?? null;
}
