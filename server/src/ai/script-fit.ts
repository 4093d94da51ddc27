import { splitSentences } from './text-units';
import { countWords } from './speech-rate';

/**
 * Trims a script to `maxWords` by dropping whole sentences before the sign-off, latest first, so the
 * greeting and the signature survive. Returns the script unchanged when it already fits.
 */
export function fitToWords(script: string, maxWords: number): string {
  const sentences = splitSentences(script.replace(/\s+/g, ' ').trim());
  if (countWords(script) <= maxWords || sentences.length < 3) return script.trim();
  const head = sentences[0]!;
  const last = sentences[sentences.length - 1]!;
  const middle = sentences.slice(1, -1);
  while (middle.length && countWords([head, ...middle, last].join(' ')) > maxWords) middle.pop();
  return [head, ...middle, last].join(' ');
}
