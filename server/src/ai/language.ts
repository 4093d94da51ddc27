/** Languages the summarizer and script drafter speak. */
export type Lang = 'en' | 'vi';

/** Letters that only Vietnamese uses among en/vi (tone marks and horn/breve/circumflex vowels, đ). */
const VI_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/gi;
/** Frequent Vietnamese syllables, also when typed without accents. */
const VI_WORDS = new Set(['va', 'la', 'cua', 'khong', 'duoc', 'cho', 'voi', 'nhe', 'anh', 'chi', 'em', 'toi', 'ban', 'cam', 'on', 'nhung', 'nay', 'se', 'da', 'co', 'thi', 'mot', 'nhieu', 'ngay', 'thang', 'nam']);
const EN_WORDS = new Set(['the', 'and', 'to', 'of', 'for', 'you', 'is', 'we', 'i', 'in', 'on', 'that', 'with', 'this', 'it', 'be', 'are', 'have', 'can', 'our', 'your', 'please', 'thanks']);

/** Strips Vietnamese (and other Latin) diacritics: "Nguyễn" → "Nguyen", "đ" → "d". */
export function foldDiacritics(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** True when the text carries Vietnamese-only letters. */
export function hasVietnameseLetters(s: string): boolean {
  return /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(s);
}

/** Detects en/vi from letters first (robust on short text), then from common words; English by default. */
export function detectLanguage(text: string): Lang {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (!letters) return 'en';
  const vi = text.match(VI_LETTERS)?.length ?? 0;
  if (vi / letters > 0.02 || vi >= 8) return 'vi';
  let viWords = 0;
  let enWords = 0;
  for (const w of foldDiacritics(text.toLowerCase()).split(/[^a-z]+/)) {
    if (VI_WORDS.has(w)) viWords++;
    if (EN_WORDS.has(w)) enWords++;
  }
  return viWords > enWords * 1.5 && viWords >= 3 ? 'vi' : 'en';
}

/** Picks the requested language, or detects it when 'auto'. */
export function resolveLanguage(requested: 'auto' | Lang | undefined, text: string): Lang {
  return requested && requested !== 'auto' ? requested : detectLanguage(text);
}
