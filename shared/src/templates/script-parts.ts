/**
 * Splitting a template script into the part that differs per contact and the part every contact shares,
 * so a campaign can render the shared part once and only the personal part per contact (issue 9 §5).
 *
 *   splitScript('Hi {{first_name}}, great to meet you! Here is how we help teams like {{company|yours}}. We cut costs.')
 *   → personal: 'Hi {{first_name}}, great to meet you! Here is how we help teams like {{company|yours}}.'
 *     shared:   'We cut costs.'
 *
 * The personal part is the run of sentences at the start of the script that contain a variable; the shared
 * part is everything after it. Spoken, the two are joined with one space: personal + ' ' + shared.
 * `reusable` is true only when both parts are non-empty and the shared part has no variables; otherwise a
 * campaign renders each contact's video whole.
 */
import { templateVariables } from './variables';

export interface ScriptParts {
  /** Leading sentences that contain variables (still with their `{{…}}`); '' when the first has none. */
  personal: string;
  /** The rest of the script, from the first sentence without a variable. */
  shared: string;
  /** Variables used in the shared part (each once). Non-empty means the shared part is not the same for everyone. */
  sharedVariables: string[];
  /** Both parts non-empty and the shared part free of variables: render it once, the personal part per contact. */
  reusable: boolean;
}

/** Words whose trailing dot does not end a sentence (English and Vietnamese). */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'sr', 'jr', 'vs', 'etc', 'e.g', 'i.e', 'no', 'inc', 'ltd', 'co', 'corp', 'tp', 'q', 'p', 'ths', 'ts', 'pgs', 'gs']);
const CLOSERS = `"'”’)]»`;

/** Offsets just past the end of each sentence (the terminator and any closing quote or bracket). */
function sentenceEnds(text: string): number[] {
  const vars = templateVariables(text);
  const insideVariable = (i: number) => vars.some((v) => i >= v.start && i < v.end);
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (insideVariable(i)) continue;
    if (ch === '\n') {
      ends.push(i);
      continue;
    }
    if (!'.!?…。！？'.includes(ch)) continue;
    let j = i + 1;
    while (j < text.length && ('.!?…'.includes(text[j]!) || CLOSERS.includes(text[j]!))) j++;
    if (j < text.length && !/\s/.test(text[j]!)) {
      i = j - 1;
      continue; // "3.5", "example.com", "TP.HCM": no space after the dot
    }
    if (ch === '.') {
      const word = /([\p{L}.]+)$/u.exec(text.slice(0, i))?.[1]?.toLowerCase();
      if (word && ABBREVIATIONS.has(word)) continue;
    }
    ends.push(j);
    i = j - 1;
  }
  return ends;
}

/** The sentences of a script, trimmed, in order (empty ones left out). */
export function splitSentencesOf(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const end of [...sentenceEnds(script), script.length]) {
    const s = script.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  return out;
}

/** Splits a script into its personal part (leading sentences with variables) and its shared part. */
export function splitScript(script: string): ScriptParts {
  const sentences = splitSentencesOf(script);
  let n = 0;
  while (n < sentences.length && templateVariables(sentences[n]!).length > 0) n++;
  const personal = sentences.slice(0, n).join(' ');
  const shared = sentences.slice(n).join(' ');
  const sharedVariables = [...new Set(templateVariables(shared).map((v) => v.name))];
  return { personal, shared, sharedVariables, reusable: personal !== '' && shared !== '' && sharedVariables.length === 0 };
}
