import type { DraftScriptRequest, DraftScriptResponse } from '@mvs/shared/schemas/emails';
import { askText, reportAsk } from './asks';
import { keyFact } from './key-fact';
import { type Lang } from './language';
import { givenName } from './names';
import { capitalize, MAX_ENUMERATED, PHRASES, type Voices } from './script-phrases';
import { countWords, estimateSeconds, wordBudget } from './speech-rate';
import { analyzeEmail, type EmailFacts } from './summarizer.offline';

type Input = Omit<DraftScriptRequest, 'tone' | 'length_sec'> & Partial<Pick<DraftScriptRequest, 'tone' | 'length_sec'>>;

/** Words a shortened ask must not end on. */
const CUT_STOP = /^(for|to|of|the|a|an|and|or|in|on|at|by|with|that|which|who|you|we|i|is|are|từ|của|và|cho|với|là|ở|có|một)$/i;
const PAST_DATE = /^(last|this morning|yesterday|hôm qua|tuần trước)/i;
const DEADLINE_HINT = /\b(by|before|until|no later than|deadline|due)\b|trước|hạn chót|chậm nhất/i;

/** Resolves who the video greets (the email's author, unless the sender wrote it) and who signs. */
export function resolveVoices(input: Input, facts: EmailFacts): { voices: Voices; replying: boolean } {
  const author = input.from;
  const firstTo = input.to?.[0];
  const senderIsAuthor = !!input.sender_name && !!author?.name && input.sender_name.trim() === author.name.trim();
  const recipient = senderIsAuthor ? firstTo : (author ?? firstTo);
  const replying = !senderIsAuthor && !!author;
  const signerFull = input.sender_name ?? (replying ? firstTo?.name : author?.name) ?? '';
  const rec = givenName(recipient?.name) ?? givenName(recipient?.email);
  const signer = givenName(signerFull)?.given ?? signerFull;
  if (facts.lang === 'en') return { voices: { greetName: rec?.given ?? 'there', them: 'you', signer }, replying };
  // Vietnamese: "chị Lan" when the name shows gender ("Thị"); else the given name alone, and in the body the
  // pronoun the author used for themself ("em") or the neutral "bạn".
  const selfEm = replying && /(^|[\s,.])[Ee]m\s/.test(facts.text);
  const them = rec?.honorific ?? (selfEm ? 'em' : 'bạn');
  const greetName = rec ? (rec.honorific ? `${rec.honorific} ${rec.given}` : rec.given) : them;
  return { voices: { greetName, them, signer }, replying };
}

/** Picks the date to promise an answer by: a deadline the author named, else the first upcoming date. */
function deadlineOf(facts: EmailFacts): string | null {
  const upcoming = facts.dates.filter((d) => !PAST_DATE.test(d));
  const withHint = facts.units.find((u) => DEADLINE_HINT.test(u.text) && upcoming.some((d) => u.text.includes(d)));
  const date = withHint ? upcoming.filter((d) => withHint.text.includes(d)).pop() : upcoming[0];
  return date ?? null;
}

/** Shortens an ask to at most `max` words, preferring to stop at a comma. */
function shorten(ask: string, max: number): string {
  if (ask.split(/\s+/).length <= max) return ask;
  const clause = ask.split(/,\s/)[0] ?? ask;
  if (clause.split(/\s+/).length <= max) return clause;
  const words = clause.split(/\s+/).slice(0, max);
  while (words.length > 1 && CUT_STOP.test(words[words.length - 1]!)) words.pop();
  return words.join(' ').replace(/[,;:]$/, '');
}

/** A spoken script from templates: greeting by first name, thanks, the asks acknowledged, a promise, sign-off. */
export function draftScriptOffline(input: Input): DraftScriptResponse {
  const facts = analyzeEmail(input);
  const lang: Lang = facts.lang;
  const tone = input.tone ?? 'friendly';
  const budget = wordBudget(input.length_sec ?? 40, lang);
  const { voices, replying } = resolveVoices(input, facts);
  const p = PHRASES[lang];
  // How the author addressed the reader in the greeting ("Chào anh Quân", "Chị Hà ơi") becomes "tôi".
  const usAs = /(?:^|\s)([Aa]nh|[Cc]hị)\s+\p{Lu}/u.exec(facts.units[0]?.text ?? '')?.[1]?.toLowerCase();
  const asks = facts.asks.map((u) => reportAsk(askText(u), lang, replying ? { themAs: voices.them, usAs } : {}));
  const topic = /[!?]/.test(facts.subject)
    ? ''
    : lowerFirst(facts.subject.replace(/^(hỏi về|về|câu hỏi về|question about|about|regarding)\s+/i, '').replace(/\s+[-–]\s+/g, ', '));
  const deadline = deadlineOf(facts);

  const head = [p.greeting(tone, voices), p.thanks(tone, topic, voices)];
  const commit = p.commit(deadline ? p.deadline(deadline) : null, voices);
  const tail = [p.signOff(tone, voices)];
  const fixed = countWords([...head, commit, ...tail].join(' '));
  let askLine = asks.length ? p.askCount(asks.length, voices) : p.noAsks(voices);
  // Longest form that fits: each ask in full ("First, …"), then one sentence with shortened asks, then a count.
  const candidates = [
    ...(asks.length > 1 && asks.length <= MAX_ENUMERATED ? [p.enumerate(asks.map((a) => shorten(a, 25)), voices)] : []),
    ...[40, 30, 20, 16, 12, 9, 6].map((max) => capitalize(p.asks(asks.map((a) => shorten(a, max)), voices))),
  ];
  if (asks.length) askLine = candidates.find((line) => fixed + countWords(line) <= budget) ?? askLine;
  const parts = [...head, askLine, commit];
  // Longer scripts also show the key fact was understood ("As you mentioned, you have 12 support agents …").
  const fact = keyFact(facts, [input.from?.name, ...(input.to ?? []).map((t) => t.name)].filter((n): n is string => !!n));
  const factLine = fact ? p.fact(reportAsk(fact, lang, replying ? { themAs: voices.them, usAs } : {}), voices) : null;
  if (factLine && countWords([...parts, factLine, ...tail].join(' ')) <= budget) parts.splice(2, 0, factLine);
  const extra = p.extra(tone, voices);
  if (countWords([...parts, extra, ...tail].join(' ')) <= budget) parts.push(extra);
  // Drop the thanks line when even the short version does not fit (20 s scripts with long asks).
  if (countWords([...parts, ...tail].join(' ')) > budget) parts.splice(1, 1);
  const script = [...parts, ...tail].join(' ').replace(/\s+/g, ' ').trim();
  return { script, language: lang, estimated_seconds: estimateSeconds(script, lang), engine: 'offline' };
}

function lowerFirst(s: string): string {
  // Keep acronyms and names ("EU", "Zendesk") as written; lower only a capitalised ordinary first word.
  const first = s.split(/\s+/)[0] ?? '';
  return first.length > 1 && first.slice(1) === first.slice(1).toLowerCase() ? s.charAt(0).toLocaleLowerCase('vi') + s.slice(1) : s;
}
