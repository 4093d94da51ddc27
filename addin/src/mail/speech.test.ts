import { describe, expect, it } from 'vitest';
import { estimateSpokenSeconds, guessLanguage } from './speech';

describe('spoken duration estimate', () => {
  it.each([
    ['', 'auto', 0],
    ['Hi Priya.', 'en', 1],
    [Array(104).fill('word').join(' '), 'en', 40],
    [Array(66).fill('chào').join(' '), 'vi', 20],
  ] as const)('%#: %s words in %s → %i s', (text, lang, seconds) => {
    expect(estimateSpokenSeconds(text, lang)).toBe(seconds);
  });

  it('adds a short pause per sentence and detects Vietnamese by its diacritics', () => {
    expect(estimateSpokenSeconds('One two three. Four five six. Seven eight nine.', 'en')).toBe(4);
    expect(guessLanguage('Chào anh Quân, cảm ơn anh.')).toBe('vi');
    expect(guessLanguage('Hi Priya, thanks for the demo.')).toBe('en');
  });
});
