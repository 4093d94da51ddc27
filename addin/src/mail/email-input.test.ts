import { describe, expect, it } from 'vitest';
import { asHtml, FIXTURES, loadEmail, outlookReplyHtml } from '../../test/email-fixtures';
import { answerableText, firstName, quotedEmailText, toEmailInput } from './email-input';

const me = { name: 'Alex Carter', email: 'alex@acme.example' };

describe('the text a video answers', () => {
  it.each(FIXTURES)('%s: a received message keeps its words and loses the signature', async (name) => {
    const e = await loadEmail(name);
    const text = answerableText({ body: asHtml(e), bodyIsHtml: true });
    const firstLine = e.text.trim().split('\n')[0]!.trim();
    expect(text.startsWith(firstLine)).toBe(true);
    expect(text).not.toMatch(/<[a-z]/i);
    expect(text).not.toMatch(/Best regards|Trân trọng|Thanks,\s*Jordan/);
    expect(text.length).toBeGreaterThan(80);
  });

  it.each(FIXTURES)('%s: an empty reply being composed answers the quoted email, without its header lines', async (name) => {
    const e = await loadEmail(name);
    const reply = outlookReplyHtml(e);
    const text = answerableText({ body: reply, bodyIsHtml: true });
    expect(text.startsWith(e.text.trim().split('\n')[0]!.trim())).toBe(true);
    expect(text).not.toMatch(/^(From|Sent|Subject):/m);
    expect(quotedEmailText(reply, true)).toBe(text);
  });

  it('uses the reply text itself once the sender has written something', async () => {
    const e = await loadEmail('sales-followup-en');
    const own = 'Hi Priya, here is a short video answering your three questions about the pilot.';
    expect(answerableText({ body: outlookReplyHtml(e, own), bodyIsHtml: true })).toBe(own);
  });

  it('answers quoted plain-text history marked with ">" and "On … wrote:"', () => {
    const body = 'Sure.\n\nOn Tue, 17 Nov 2026 at 09:12, Priya Raman <priya@n.example> wrote:\n> Can you send the price for 40 vehicles by December 2?\n> Thanks,\n> Priya';
    expect(answerableText({ body, bodyIsHtml: false })).toBe('Can you send the price for 40 vehicles by December 2?');
  });

  it('greets the sender in read mode and the first recipient in compose mode, signed by the user', async () => {
    const e = await loadEmail('real-estate-vi');
    const read = toEmailInput({ mode: 'read', subject: e.subject, from: e.from, to: e.to, cc: [], body: asHtml(e), bodyIsHtml: true }, me);
    expect(read).toMatchObject({ from: { name: 'Nguyễn Thị Lan' }, senderName: 'Alex Carter', subject: 'Hỏi về căn hộ 2 phòng ngủ ở Thảo Điền' });
    const compose = toEmailInput({ mode: 'compose', subject: `RE: ${e.subject}`, from: e.to[0], to: [e.from], cc: [], body: outlookReplyHtml(e), bodyIsHtml: true }, {});
    expect(compose.from).toEqual(e.from);
    expect(compose.to).toEqual([e.to[0]]);
    expect(compose.senderName).toBe('Trần Minh Quân');
    expect(compose.body).toContain('18 triệu');
  });

  it('takes first names from display names or addresses', () => {
    expect(firstName({ name: 'Priya Raman', email: 'p@x.example' })).toBe('Priya');
    expect(firstName({ email: 'jordan.lee@x.example' })).toBe('jordan.lee');
    expect(firstName(undefined)).toBeUndefined();
  });
});
