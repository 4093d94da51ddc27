import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Person } from '../src/office/mailbox';

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'emails');
export const FIXTURES = ['sales-followup-en', 'onboarding-welcome-en', 'real-estate-vi', 'recruiting-offer-vi'] as const;

export interface FixtureEmail {
  subject: string;
  from: Person;
  to: Person[];
  text: string;
  html: string | null;
}

const people = (a: AddressObject | AddressObject[] | undefined): Person[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).map((v) => ({ email: v.address ?? '', ...(v.name ? { name: v.name } : {}) }));

/** Parses one sample .eml with a real MIME parser. */
export async function loadEmail(name: (typeof FIXTURES)[number]): Promise<FixtureEmail> {
  const mail = await simpleParser(await fs.readFile(path.join(FIXTURE_DIR, `${name}.eml`)));
  return { subject: mail.subject ?? '', from: people(mail.from)[0]!, to: people(mail.to), text: mail.text ?? '', html: mail.html || null };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The received email as an HTML body (its own HTML, or its text in paragraphs). */
export function asHtml(e: FixtureEmail): string {
  return e.html ?? `<html><body>${e.text.split(/\n{2,}/).map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('')}</body></html>`;
}

/** What Outlook puts in the body of a new reply: an empty line, the signature-less reply header, the quoted email. */
export function outlookReplyHtml(e: FixtureEmail, ownText = ''): string {
  const quoted = asHtml(e).replace(/<\/?(html|body)>/g, '');
  return (
    `<html><body><div>${esc(ownText) || '<br>'}</div>` +
    `<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> ${esc(e.from.name ?? '')} &lt;${e.from.email}&gt;<br>` +
    `<b>Sent:</b> Tuesday, November 17, 2026 9:12 AM<br><b>To:</b> ${e.to.map((p) => esc(p.name ?? p.email)).join('; ')}<br><b>Subject:</b> ${esc(e.subject)}</font><div>&nbsp;</div></div>` +
    `<div>${quoted}</div></body></html>`
  );
}
