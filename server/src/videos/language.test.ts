import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language';

describe('detectLanguage', () => {
  const cases: [string, 'en' | 'vi'][] = [
    ['Hi Priya, thanks for your time today. Here is the proposal we discussed.', 'en'],
    ['Xin chào anh Minh, cảm ơn anh đã dành thời gian hôm nay.', 'vi'],
    ['Chào chị Lan! Hẹn gặp lại vào thứ Hai.', 'vi'],
    ['Đà Nẵng', 'vi'],
    // Decomposed (NFD) input from some keyboards is normalised first.
    ['Cảm ơn bạn rất nhiều'.normalize('NFD'), 'vi'],
    // One accented loanword in a long English text stays English.
    ['Our café partner in Seattle will join the call on Monday to review the contract terms.', 'en'],
    ['', 'en'],
    ['12345 !!!', 'en'],
    ['Meeting với team lúc 3 giờ', 'vi'],
  ];
  it.each(cases)('classifies %j as %s', (text, want) => {
    expect(detectLanguage(text)).toBe(want);
  });
});
