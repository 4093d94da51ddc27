import type { Lang } from './language';
import type { TextUnit } from './text-units';

/** Phrases that make a sentence a question or a request. */
const EN_ASK = /\?|\b(could|can|would|will) (you|we)\b|\bplease\b|\blet me know\b|\bi (need|would like|'d like)\b|\bwe need\b|\bkindly\b|\bmake sure\b|\bdon'?t forget\b|\bremind\b|\bsend (me|us)\b|\bconfirm\b/i;
const VI_ASK = /\?|vui lòng|làm ơn|(?:anh|chị|bạn|ông|bà|cô|chú|em) (?:có thể|vui lòng|giúp)|(?:^|\s)nhờ\s|giúp|(?:^|\s)xin(?:\s|$)|cho (em|anh|chị|tôi|mình) (hỏi|biết)|muốn hỏi|nhắc|được không|không ạ|nhé|(?:^|\s)nhe[.!]?$|hãy/i;
const PURE_THANKS = /^(thanks|thank you|cảm ơn|em cảm ơn|xin cảm ơn)\b/i;

/** True when the unit asks the reader for something (questions, requests, "vui lòng", "anh/chị có thể"…). */
export function isAsk(unit: TextUnit, lang: Lang): boolean {
  const re = lang === 'vi' ? VI_ASK : EN_ASK;
  if (PURE_THANKS.test(unit.text) && !unit.text.includes('?')) return false;
  if (re.test(unit.text) && !unit.text.endsWith(':')) return true;
  // Items of a list introduced by a request ("Could you tell me:", "I need three things:") are asks too.
  return unit.item && !!unit.leadIn && (re.test(unit.leadIn) || /\b(need|want|questions?|things)\b|hỏi|cần/i.test(unit.leadIn));
}

/** The ask as a readable line: list items joined with a short lead-in ("Could you tell me how …?"). */
export function askText(unit: TextUnit): string {
  const item = unit.text.replace(/^(and|or|và|hoặc)\s+/i, '').replace(/[,;]+$/, '').trim();
  const lead = unit.leadIn?.replace(/:$/, '').trim();
  if (unit.item && lead && /^\p{Ll}/u.test(item) && lead.split(/\s+/).length <= 6) {
    return `${lead} ${item.replace(/[.?]+$/, '')}?`;
  }
  return item;
}

const EN_SWAP: Record<string, string> = {
  i: 'you', me: 'you', my: 'your', mine: 'yours', we: 'you', us: 'you', our: 'your', ours: 'yours',
  you: 'I', your: 'my', yours: 'mine', "i'd": "you'd", "i'm": "you're", "we're": "you're", "i've": "you've",
};

/**
 * The ask in the replier's voice, without its question form: "who our contact person is after go-live?" →
 * "who your contact person is after go-live". For Vietnamese the writer's "em" becomes how we address them,
 * and how they addressed us ("anh"/"chị") becomes "tôi".
 */
export function reportAsk(ask: string, lang: Lang, opts: { themAs?: string; usAs?: string } = {}): string {
  let s = ask
    .replace(/^(could|can|would|will) you (please )?(tell me|let me know|confirm)\s*/i, '')
    .replace(/^(please|kindly)\s+/i, '')
    .replace(/^(vui lòng|làm ơn|xin)\s+/i, '')
    .replace(/\s*(được không|không ạ|nhé|nhe|ạ)?\s*[?.!]+$/i, '')
    .replace(/\s+(nhé|nha|ạ)(?=[,.!?]|$)/gi, '')
    .replace(/[,;]+$/, '')
    .trim();
  if (lang === 'en') {
    s = s.replace(/\b(i'd|i'm|we're|i've|i|me|my|mine|we|us|our|ours|you|your|yours)\b/gi, (w) => {
      const r = EN_SWAP[w.toLowerCase()] ?? w;
      // "I", "I'd" are capitalised mid-sentence; other capitals mean a sentence start.
      const keepCase = /^I('|$)/.test(w) || w[0] !== w[0]?.toUpperCase();
      return keepCase ? r : r.charAt(0).toUpperCase() + r.slice(1);
    });
    s = s.replace(/\bI\b(?= (can|run|will|have|need|want|send|use))/g, 'we');
  } else if (opts.themAs || opts.usAs) {
    s = s
      .split(' ')
      .map((w) => {
        const low = w.toLowerCase();
        if (low === 'em' && opts.themAs) return opts.themAs;
        if (opts.usAs && low === opts.usAs) return 'tôi';
        return w;
      })
      .join(' ');
  }
  return s.charAt(0).toLowerCase() + s.slice(1);
}
