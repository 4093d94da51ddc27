import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language';
import { givenName } from './names';
import { countWords, estimateSeconds, wordBudget } from './speech-rate';

describe('givenName', () => {
  const cases: [string, string, 'anh' | 'chị' | null][] = [
    ['Priya Raman', 'Priya', null],
    ['Nguyễn Thị Lan', 'Lan', 'chị'],
    ['Trần Văn Minh', 'Minh', 'anh'],
    ['Trần Minh Quân', 'Quân', null],
    ['Lê Thu Hà', 'Hà', null],
    ['Nguyen Lan', 'Lan', null],
    ['Lan Nguyen', 'Lan', null],
    ['Raman, Priya', 'Priya', null],
    ['Dr. Martin Weber', 'Martin', null],
    ['anh Quân', 'Quân', null],
    ['sam', 'Sam', null],
    ['jordan.lee@brightdesk.example', 'Jordan', null],
  ];
  for (const [full, given, honorific] of cases) {
    it(`calls "${full}" ${honorific ? `${honorific} ` : ''}${given}`, () => {
      expect(givenName(full)).toEqual({ given, honorific });
    });
  }
  it('returns null for an empty name', () => expect(givenName('  ')).toBeNull());
});

describe('detectLanguage', () => {
  const cases: [string, 'en' | 'vi'][] = [
    ['Thanks for the demo last Thursday.', 'en'],
    ['Chào anh Quân, em muốn hỏi thêm về căn hộ.', 'vi'],
    ['Cam on anh, em se gui bao gia cho anh vao ngay mai nhe', 'vi'],
    ['Lan asks about the apartment in Thảo Điền, quận 2, and the fees.', 'en'],
    ['Hi Lan! Thanks for asking about the apartment in Thảo Điền.', 'en'],
    ['Chị Hà ơi, ứng viên đã đồng ý mức lương.', 'vi'],
    ['OK', 'en'],
    ['', 'en'],
  ];
  for (const [text, lang] of cases) it(`reads "${text}" as ${lang}`, () => expect(detectLanguage(text)).toBe(lang));
});

describe('speech rate', () => {
  it('budgets 100 English words and 106 Vietnamese syllables for 40 s', () => {
    expect(wordBudget(40, 'en')).toBe(100);
    expect(wordBudget(40, 'vi')).toBe(106);
  });
  it('counts words, not punctuation, and rounds seconds up', () => {
    expect(countWords('Hi Priya! — 40 vehicles, ok?')).toBe(5);
    expect(estimateSeconds('one two three', 'en')).toBe(2);
  });
});
