/**
 * Letters that occur in Vietnamese but not in English: đ, the hat/horn/breve vowels and every vowel that
 * carries one of the five tone marks. Plain ASCII text never contains them.
 */
const VI_LETTERS = new Set(
  'ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ'.split(''),
);

/**
 * Guesses the script's language: Vietnamese when at least 2 letters (or 5 % of the letters, for short
 * texts) are Vietnamese-only letters, else English. A pure heuristic: callers let the user override it.
 */
export function detectLanguage(text: string): 'en' | 'vi' {
  let letters = 0;
  let vi = 0;
  for (const ch of text.normalize('NFC').toLowerCase()) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (VI_LETTERS.has(ch)) vi++;
  }
  if (letters === 0) return 'en';
  return vi >= 2 || (vi >= 1 && vi / letters >= 0.05) ? 'vi' : 'en';
}
