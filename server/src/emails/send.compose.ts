import { htmlToText } from '@mvs/shared/email/clean-text';
import { escapeHtml, type VideoBlock } from '@mvs/shared/email/video-block';

export type MailLocale = 'en' | 'vi';

const FOOTER: Record<MailLocale, { why: string; unsubscribe: string; there: string }> = {
  en: { why: 'You received this video message from a sender using Mail Video.', unsubscribe: 'Unsubscribe', there: 'there' },
  vi: { why: 'Bạn nhận được tin nhắn video này từ một người gửi dùng Mail Video.', unsubscribe: 'Hủy đăng ký', there: 'bạn' },
};

const VIDEO = /\{\{\s*video\s*\}\}/gi;
const VARS = /\{\{\s*(first_name|name)\s*\}\}/gi;

export interface ComposeInput {
  subject: string;
  bodyText?: string;
  bodyHtml?: string;
  block: VideoBlock;
  recipient: { email: string; name: string | null };
  unsubscribeUrl: string;
  locale: MailLocale;
}

/** Fills {{first_name}} and {{name}}; the escape function matches the part (HTML or text). */
function fillVars(s: string, r: ComposeInput['recipient'], locale: MailLocale, esc: (v: string) => string): string {
  const name = r.name?.trim() || '';
  const first = name.split(/\s+/)[0] || FOOTER[locale].there;
  return s.replace(VARS, (_m, v: string) => esc(v.toLowerCase() === 'name' ? name || FOOTER[locale].there : first));
}

/** Puts the block where the first {{video}} is (further ones are dropped), or on top. */
function place(body: string, block: string, sep: string): string {
  let placed = false;
  const out = body.replace(VIDEO, () => (placed ? '' : ((placed = true), block)));
  return placed ? out : `${block}${sep}${out}`;
}

const textToHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => (/^\s*\{\{\s*video\s*\}\}\s*$/i.test(p) ? p.trim() : `<p style="margin:0 0 12px 0;">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`))
    .join('');

/** One recipient's subject, HTML and text: sender's body, the video block, variables and an unsubscribe footer. */
export function composeEmail(i: ComposeInput): { subject: string; html: string; text: string } {
  const f = FOOTER[i.locale];
  const subject = fillVars(i.subject, i.recipient, i.locale, (v) => v).replace(VIDEO, '').replace(/[\r\n]+/g, ' ').trim();
  const htmlBody = i.bodyHtml ?? textToHtml(i.bodyText ?? '');
  const textBody = i.bodyText ?? (i.bodyHtml ? htmlToText(i.bodyHtml.replace(VIDEO, '\n{{video}}\n')) : '');
  const inner = place(fillVars(htmlBody, i.recipient, i.locale, escapeHtml), i.block.html, '<br>');
  const unsub = escapeHtml(i.unsubscribeUrl);
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>` +
    `<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#202124;">${inner}` +
    `<p style="margin:24px 0 0 0;font-size:12px;line-height:16px;color:#5f6368;">${escapeHtml(f.why)} ` +
    `<a href="${unsub}" style="color:#5f6368;">${escapeHtml(f.unsubscribe)}</a></p></body></html>`;
  const text = `${place(fillVars(textBody, i.recipient, i.locale, (v) => v), i.block.text, '\n\n').trim()}\n\n--\n${f.why}\n${f.unsubscribe}: ${i.unsubscribeUrl}\n`;
  return { subject, html, text };
}
