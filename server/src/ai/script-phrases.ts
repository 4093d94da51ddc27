import type { Tone } from '@mvs/shared/schemas/emails';

/** Who is spoken to and by whom, already resolved for the language. */
export interface Voices {
  /** Name in the greeting: "Priya", "chị Lan", "Long". */
  greetName: string;
  /** How the body addresses them: "you" (en); "chị", "anh", "em" or "bạn" (vi). */
  them: string;
  signer: string;
}

const up = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

/** Sentence templates per language and tone; each returns one spoken sentence. */
export const PHRASES = {
  en: {
    greeting: (t: Tone, v: Voices) =>
      t === 'professional' ? `Hello ${v.greetName}.` : t === 'enthusiastic' ? `Hi ${v.greetName}! Great to hear from you.` : `Hi ${v.greetName}!`,
    thanks: (t: Tone, topic: string) => {
      const about = topic ? ` about ${topic}` : '';
      return t === 'professional' ? `Thank you for your message${about}.` : t === 'enthusiastic' ? `Thanks so much for your note${about}!` : `Thanks for your email${about}.`;
    },
    asks: (list: string[]) => (list.length === 1 ? `You asked about ${list[0]}.` : `You asked about ${joinList(list, 'and')}.`),
    enumerate: (list: string[]) => `You asked for ${list.length} things. ${list.map((a, i) => `${EN_ORD[i]}, ${a}.`).join(' ')}`,
    fact: (fact: string) => `As you mentioned, ${fact}.`,
    askCount: (n: number) => `I've noted the ${n} points you raised and I'll answer each one.`,
    noAsks: () => `I read it carefully and wanted to reply in person.`,
    commit: (deadline: string | null) =>
      deadline ? `I'm on it and will get everything to you ${deadline}.` : `I'm on it and will follow up with the details shortly.`,
    deadline: (date: string) => (/^(the )?end of/i.test(date) ? `by ${date}` : /^(today|tomorrow|tonight|this)/i.test(date) ? date : `before ${date}`),
    extra: (t: Tone) =>
      t === 'professional' ? `Please reach out if anything else comes up.` : t === 'enthusiastic' ? `I'm really excited about what's next!` : `Looking forward to working with you.`,
    signOff: (t: Tone, v: Voices) => (t === 'professional' ? `Best regards, ${v.signer}.` : t === 'enthusiastic' ? `Cheers, ${v.signer}!` : `Talk soon, ${v.signer}.`),
  },
  vi: {
    greeting: (t: Tone, v: Voices) =>
      t === 'enthusiastic' ? `Chào ${v.greetName}! Rất vui nhận được thư của ${v.them}.` : t === 'professional' ? `Chào ${v.greetName}.` : `Chào ${v.greetName}!`,
    thanks: (t: Tone, topic: string, v: Voices) =>
      `${t === 'professional' ? 'Xin cảm ơn' : 'Cảm ơn'} ${v.them} đã gửi thư${topic ? ` về ${topic}` : ''}.`,
    asks: (list: string[], v: Voices) =>
      list.length === 1 ? `Tôi đã ghi nhận ý ${v.them} nêu: ${list[0]}.` : `Tôi đã ghi nhận các ý ${v.them} nêu: ${joinList(list, 'và')}.`,
    enumerate: (list: string[], v: Voices) => `${up(v.them)} có ${list.length} ý. ${list.map((a, i) => `${VI_ORD[i]}, ${a}.`).join(' ')}`,
    fact: (fact: string, v: Voices) => `Như ${v.them} đã chia sẻ, ${fact}.`,
    askCount: (n: number, v: Voices) => `Tôi đã ghi nhận ${n} câu hỏi của ${v.them} và sẽ trả lời từng ý.`,
    noAsks: (v: Voices) => `Tôi đã đọc kỹ thư và muốn trả lời ${v.them} trực tiếp.`,
    commit: (deadline: string | null, v: Voices) =>
      deadline ? `Tôi sẽ gửi ${v.them} câu trả lời chi tiết ${deadline}.` : `Tôi sẽ gửi ${v.them} câu trả lời chi tiết sớm nhất có thể.`,
    deadline: (date: string) => (/^(hôm nay|ngày mai|sáng mai|chiều mai)/i.test(date) ? date : `trước ${date.charAt(0).toLowerCase()}${date.slice(1)}`),
    extra: (t: Tone, v: Voices) =>
      t === 'professional' ? `Nếu cần thêm thông tin, ${v.them} cứ liên hệ tôi nhé.` : t === 'enthusiastic' ? `Tôi rất mong được hợp tác cùng ${v.them}!` : `Hẹn sớm gặp lại ${v.them}!`,
    signOff: (t: Tone, v: Voices) => (t === 'professional' ? `Trân trọng, ${v.signer}.` : t === 'enthusiastic' ? `Thân mến, ${v.signer}!` : `Thân mến, ${v.signer}.`),
  },
} as const;

const EN_ORD = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];
const VI_ORD = ['Thứ nhất', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm'];
/** Most asks a script lists one by one. */
export const MAX_ENUMERATED = 5;

/** "a, b and c" / "a, b và c". */
export function joinList(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

export { up as capitalize };
