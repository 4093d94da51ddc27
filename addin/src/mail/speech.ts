/** Words per second of natural speech: English ≈ 155 wpm; Vietnamese counts syllables, spoken faster. */
const RATE = { en: 2.6, vi: 3.3 } as const;
const SENTENCE_PAUSE_SEC = 0.35;
const VIETNAMESE_MARKS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

/** 'vi' when the text carries Vietnamese diacritics, else 'en'. */
export function guessLanguage(text: string): 'en' | 'vi' {
  return VIETNAMESE_MARKS.test(text) ? 'vi' : 'en';
}

/** Estimated spoken duration of a script in whole seconds (0 for an empty script). */
export function estimateSpokenSeconds(text: string, language: 'auto' | 'en' | 'vi' = 'auto'): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  if (words === 0) return 0;
  const lang = language === 'auto' ? guessLanguage(text) : language;
  const sentences = text.split(/[.!?…]+(\s|$)/).filter((s) => s && s.trim()).length;
  return Math.max(1, Math.round(words / RATE[lang] + Math.max(0, sentences - 1) * SENTENCE_PAUSE_SEC));
}
