import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences';

describe('splitSentences', () => {
  const cases: { name: string; text: string; max: number; want: string[] }[] = [
    { name: 'keeps a short script whole', text: 'Hello there. How are you?', max: 100, want: ['Hello there. How are you?'] },
    { name: 'cuts at sentence ends under the limit', text: 'One two. Three four! Five six?', max: 12, want: ['One two.', 'Three four!', 'Five six?'] },
    { name: 'packs several sentences per part', text: 'A b. C d. E f. G h.', max: 10, want: ['A b. C d.', 'E f. G h.'] },
    {
      name: 'splits Vietnamese at its punctuation and keeps diacritics intact',
      text: 'Xin chào anh Minh. Cảm ơn anh đã gửi báo giá! Chúng ta gặp nhau thứ Hai nhé?',
      max: 30,
      want: ['Xin chào anh Minh.', 'Cảm ơn anh đã gửi báo giá!', 'Chúng ta gặp nhau thứ Hai nhé?'],
    },
    {
      name: 'normalizes decomposed Vietnamese (NFD) before counting',
      text: 'Cảm ơn.'.normalize('NFD') + ' Tạm biệt.'.normalize('NFD'),
      max: 9,
      want: ['Cảm ơn.', 'Tạm biệt.'],
    },
    { name: 'treats an ellipsis and closing quotes as a sentence end', text: 'Well… "Yes." Then go.', max: 8, want: ['Well…', '"Yes."', 'Then go.'] },
    { name: 'does not cut inside a decimal number', text: 'Price is 3.5 million. Ok.', max: 22, want: ['Price is 3.5 million.', 'Ok.'] },
    { name: 'cuts at newlines', text: 'Line one\nLine two', max: 9, want: ['Line one', 'Line two'] },
    { name: 'cuts CJK full-width stops', text: '你好。谢谢！', max: 3, want: ['你好。', '谢谢！'] },
    {
      name: 'cuts a sentence longer than the limit at clause commas first',
      text: 'First clause here, second clause here, third one.',
      max: 20,
      want: ['First clause here,', 'second clause here,', 'third one.'],
    },
    { name: 'falls back to spaces in a long sentence without commas', text: 'aaa bbb ccc ddd eee', max: 8, want: ['aaa bbb', 'ccc ddd', 'eee'] },
    { name: 'hard-cuts a single word longer than the limit', text: 'abcdefghij', max: 4, want: ['abcd', 'efgh', 'ij'] },
    { name: 'returns nothing for blank text', text: '  \n ', max: 5, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parts = splitSentences(c.text, c.max);
      expect(parts).toEqual(c.want);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(c.max);
    });
  }

  it('never loses a word of a long Vietnamese script', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Đây là câu số ${i}, rất quan trọng.`).join(' ');
    const parts = splitSentences(text, 300);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join(' ')).toBe(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(300);
  });

  it('rejects a non-positive limit', () => {
    expect(() => splitSentences('x', 0)).toThrow(RangeError);
  });
});
