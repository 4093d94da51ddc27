/** Languages the summarizer and script drafter speak. */
export type Lang = 'en' | 'vi';

/** Frequent Vietnamese syllables, also when typed without accents. */
const VI_WORDS = new Set(['va', 'la', 'cua', 'khong', 'duoc', 'cho', 'voi', 'nhe', 'anh', 'chi', 'em', 'toi', 'ban', 'cam', 'on', 'nhung', 'nay', 'se', 'da', 'co', 'thi', 'mot', 'nhieu', 'ngay', 'thang', 'nam']);
const EN_WORDS = new Set(['the', 'and', 'to', 'of', 'for', 'you', 'is', 'we', 'i', 'in', 'on', 'that', 'with', 'this', 'it', 'be', 'are', 'have', 'can', 'our', 'your', 'please', 'thanks']);

/** Strips Vietnamese (and other Latin) diacritics: "Nguyễn" → "Nguyen", "đ" → "d". */
export function foldDiacritics(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** True when the text carries letters that only Vietnamese uses among en/vi (tone marks, ă â ê ô ơ ư, đ). */
export function hasVietnameseLetters(s: string): boolean {
  return /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(s);
}

/**
 * Detects en/vi. Vietnamese writes most words with its own letters; English text that names Vietnamese people or
 * places ("Thảo Điền") has only a few such words, so the share of words decides, and common words break ties.
 */
export function detectLanguage(text: string): Lang {
  const words = text.match(/\p{L}+/gu) ?? [];
  if (!words.length) return 'en';
  const viShare = words.filter((w) => hasVietnameseLetters(w)).length / words.length;
  if (viShare >= 0.5) return 'vi';
  let viWords = 0;
  let enWords = 0;
  for (const w of foldDiacritics(text.toLowerCase()).split(/[^a-z]+/)) {
    if (VI_WORDS.has(w)) viWords++;
    if (EN_WORDS.has(w)) enWords++;
  }
  if (viShare >= 0.2) return enWords >= 2 && enWords > viWords ? 'en' : 'vi';
  return viWords > enWords * 1.5 && viWords >= 3 ? 'vi' : 'en';
}

/** Picks the requested language, or detects it when 'auto'. */
export function resolveLanguage(requested: 'auto' | Lang | undefined, text: string): Lang {
  return requested && requested !== 'auto' ? requested : detectLanguage(text);
}
