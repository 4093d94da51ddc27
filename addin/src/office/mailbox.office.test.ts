import { afterEach, describe, expect, it } from 'vitest';
import { loadEmail, outlookReplyHtml, asHtml } from '../../test/email-fixtures';
import { createOfficeMock, installOffice, type MockOptions } from '../../test/office-mock';
import { toEmailInput } from '../mail/email-input';
import { OfficeCallError } from './mailbox';
import { OfficeMailbox } from './mailbox.office';
import { officeCall } from './office-async';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const block = { html: '<a href="https://v.example/v/abc"><img src="https://v.example/v/abc/poster.jpg"></a>', text: 'Watch: https://v.example/v/abc' };

async function setup(o: Partial<MockOptions> & { mode: 'compose' | 'read' }) {
  const email = await loadEmail('sales-followup-en');
  const { office, record } = createOfficeMock({
    subject: o.mode === 'compose' ? `RE: ${email.subject}` : email.subject,
    from: o.mode === 'compose' ? email.to[0]! : email.from,
    to: o.mode === 'compose' ? [email.from] : email.to,
    body: o.mode === 'compose' ? outlookReplyHtml(email) : asHtml(email),
    ...o,
  });
  restore = installOffice(office);
  return { mailbox: new OfficeMailbox(), record, email };
}

describe('OfficeMailbox (office-addin-mock)', () => {
  it('reads a reply being composed: subject, recipients, sender and the quoted email to answer', async () => {
    const { mailbox } = await setup({ mode: 'compose' });
    const item = await mailbox.readItem();
    expect(item).toMatchObject({ mode: 'compose', subject: 'RE: Re: Pricing for the fleet tracking pilot', bodyIsHtml: true });
    expect(item!.to).toEqual([{ email: 'priya.raman@northwind-logistics.example', name: 'Priya Raman' }]);
    expect(item!.from).toEqual({ email: 'alex@acme.example', name: 'Alex Carter' });
    const input = toEmailInput(item!, mailbox.user());
    expect(input.from?.name).toBe('Priya Raman'); // the video greets the person being answered
    expect(input.body).toContain('A price for 40 vehicles for 3 months');
    expect(input.body).toContain('December 2');
    expect(input.body).not.toMatch(/Best regards|Head of Operations|Subject:/);
  });

  it('reads a received message in read mode with its sender and recipients', async () => {
    const { mailbox } = await setup({ mode: 'read' });
    const item = await mailbox.readItem();
    expect(item).toMatchObject({ mode: 'read', subject: 'Re: Pricing for the fleet tracking pilot' });
    expect(item!.from).toEqual({ email: 'priya.raman@northwind-logistics.example', name: 'Priya Raman' });
    const input = toEmailInput(item!, mailbox.user());
    expect(input).toMatchObject({ from: { name: 'Priya Raman' }, senderName: 'Alex Carter' });
    expect(input.body.startsWith('Hi Alex,')).toBe(true);
  });

  it('returns null when a pinned pane has no item selected', async () => {
    const { mailbox } = await setup({ mode: 'read', noItem: true });
    expect(await mailbox.readItem()).toBeNull();
  });

  it('rejects with an OfficeCallError naming the step when Office fails to read the body', async () => {
    const { mailbox } = await setup({ mode: 'compose', fail: { 'body.getAsync': [9020, 'The body could not be read'] } });
    const err = await mailbox.readItem().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfficeCallError);
    expect(err).toMatchObject({ officeCode: 9020, message: 'Reading the message body failed: The body could not be read' });
  });

  it('inserts the HTML block at the cursor with HTML coercion in an HTML body', async () => {
    const { mailbox, record } = await setup({ mode: 'compose' });
    expect(await mailbox.insertBlock(block)).toBe('html');
    expect(record.inserted).toEqual([{ data: block.html, coercionType: 'html' }]);
  });

  it('inserts the text link into a plain-text body instead of HTML', async () => {
    const { mailbox, record } = await setup({ mode: 'compose', bodyType: 'text' });
    expect(await mailbox.insertBlock(block)).toBe('text');
    expect(record.inserted).toEqual([{ data: block.text, coercionType: 'text' }]);
  });

  it('rejects the insert when Office refuses it, and inserts nothing', async () => {
    const { mailbox, record } = await setup({ mode: 'compose', fail: { 'body.setSelectedDataAsync': [9041, 'DataExceedsMaximumSize'] } });
    await expect(mailbox.insertBlock(block)).rejects.toThrow('Inserting the video failed: DataExceedsMaximumSize');
    expect(record.inserted).toEqual([]);
  });

  it('refuses to insert into a received message and opens a reply holding the block instead', async () => {
    const { mailbox, record } = await setup({ mode: 'read' });
    await expect(mailbox.insertBlock(block)).rejects.toBeInstanceOf(OfficeCallError);
    await mailbox.replyWithBlock(block);
    expect(record.replies).toEqual([block.html]);
  });

  it('rejects when the reply form cannot open', async () => {
    const { mailbox } = await setup({ mode: 'read', fail: { displayReplyFormAsync: [5000, 'Not allowed'] } });
    await expect(mailbox.replyWithBlock(block)).rejects.toThrow('Opening a reply failed: Not allowed');
  });

  it('subscribes to item changes for a pinned pane and follows the display language', async () => {
    const { mailbox, record } = await setup({ mode: 'read', displayLanguage: 'vi-VN' });
    const off = await mailbox.onItemChanged(() => undefined);
    expect(record.handlers).toEqual(['olkItemSelectedChanged']);
    await off();
    expect(mailbox.displayLanguage()).toBe('vi-VN');
  });

  it('turns an Office API that throws synchronously into a rejection', async () => {
    await setup({ mode: 'read' });
    await expect(
      officeCall('Doing something', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('Doing something failed: boom');
  });
});
