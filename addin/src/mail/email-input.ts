import { cleanEmailText, htmlToText } from '@mvs/shared/email/clean-text';
import type { MailItem, MailboxUser, Person } from '../office/mailbox';

/** Largest body sent to the AI endpoints (mirrors EMAIL_BODY_MAX_CHARS without bundling zod). */
export const BODY_MAX_CHARS = 100_000;
/** Below this many characters a reply's own text is treated as empty and the quoted email is used. */
const MIN_OWN_TEXT = 40;

/** The email the video answers, ready for /emails/summarize and /emails/draft-script. */
export interface EmailInput {
  subject: string;
  body: string;
  /** The author of the email being answered: the person the video greets. */
  from?: Person;
  to: Person[];
  senderName?: string;
}

/** Header lines that mail clients put above quoted history ("From: …", "Sent: …"). */
const QUOTE_HEADER = /^(from|sent|date|to|cc|subject|từ|gửi|ngày|đến|tới|chủ đề|tiêu đề)\s*:/i;
const QUOTE_OPENER = /^(on\b.{0,300}\bwrote:?|vào\s.{0,300}\sđã viết:?|-{2,}\s*(original message|tin nhắn gốc|thư gốc)\s*-{2,}|_{10,})$/i;

/** The quoted email of a reply: the text after the first quote marker and its header lines, '>' removed. */
export function quotedEmailText(body: string, isHtml: boolean): string {
  // htmlToText drops quote containers, so the first one is renamed into a plain rule line first.
  const text = isHtml
    ? htmlToText(body.replace(/<(div|blockquote)\b[^>]*(gmail_quote|moz-cite-prefix|divRplyFwdMsg|appendonsend|type="cite")[^>]*>/i, '<div>_______________</div><div>'))
    : body;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((l) => QUOTE_OPENER.test(l.trim()) || (QUOTE_HEADER.test(l.trim()) && /^(from|từ)/i.test(l.trim())));
  if (start === -1) return '';
  let i = start + (QUOTE_OPENER.test((lines[start] ?? '').trim()) ? 1 : 0);
  while (i < lines.length && (QUOTE_HEADER.test((lines[i] ?? '').replace(/^\s*>\s?/, '').trim()) || !(lines[i] ?? '').trim())) i++;
  const rest = lines.slice(i).map((l) => l.replace(/^\s*>\s?/, ''));
  return cleanEmailText(rest.join('\n'), { html: false });
}

/** The text a video should answer: the message's own words, or the quoted email when a reply is still empty. */
export function answerableText(item: Pick<MailItem, 'body' | 'bodyIsHtml'>): string {
  const own = cleanEmailText(item.body, { html: item.bodyIsHtml });
  if (own.length >= MIN_OWN_TEXT) return own.slice(0, BODY_MAX_CHARS);
  const quoted = quotedEmailText(item.body, item.bodyIsHtml);
  return (quoted.length > own.length ? quoted : own).slice(0, BODY_MAX_CHARS);
}

/**
 * Builds the API input from the open item. Read mode answers the sender; compose mode (a reply being
 * written) answers the first recipient, and the signed-in user signs the script.
 */
export function toEmailInput(item: MailItem, me: MailboxUser): EmailInput {
  const greet = item.mode === 'read' ? item.from : item.to[0];
  const others = item.mode === 'read' ? item.to : item.from ? [item.from] : [];
  const senderName = me.name ?? (item.mode === 'compose' ? item.from?.name : undefined);
  return {
    subject: item.subject.trim(),
    body: answerableText(item),
    ...(greet ? { from: greet } : {}),
    to: others,
    ...(senderName ? { senderName } : {}),
  };
}

/** First name for greetings: "Priya Raman" → "Priya"; falls back to the address's local part. */
export function firstName(p: Person | undefined): string | undefined {
  if (!p) return undefined;
  const name = p.name?.trim() || p.email.split('@')[0] || '';
  return name.split(/[\s,]+/)[0] || undefined;
}
