import { officeCall } from './office-async';
import { OfficeCallError, type InsertBlock, type MailItem, type Mailbox, type MailboxUser, type Person } from './mailbox';

type AnyItem = Office.MessageRead | Office.MessageCompose;

const person = (d: Office.EmailAddressDetails | undefined | null): Person | undefined =>
  d?.emailAddress ? { email: d.emailAddress, ...(d.displayName && d.displayName !== d.emailAddress ? { name: d.displayName } : {}) } : undefined;
const people = (list: Office.EmailAddressDetails[] | undefined | null): Person[] =>
  (list ?? []).map(person).filter((p): p is Person => p !== undefined);

/** In compose forms subject is an object with getAsync; in read forms it is a string. */
export const isCompose = (item: AnyItem): item is Office.MessageCompose =>
  typeof (item as Office.MessageCompose).subject?.getAsync === 'function';

/** Mailbox port backed by Office.js (Outlook on the web, Windows, Mac). */
export class OfficeMailbox implements Mailbox {
  private item(): AnyItem | null {
    return (Office.context.mailbox.item as AnyItem | null | undefined) ?? null;
  }

  async readItem(): Promise<MailItem | null> {
    const item = this.item();
    if (!item) return null;
    // Full body (the whole thread for replies): a reply's own text is usually empty, the email to answer is quoted.
    const body = await officeCall<string>('Reading the message body', (cb) => item.body.getAsync(Office.CoercionType.Html, cb));
    if (!isCompose(item)) {
      return { mode: 'read', subject: item.subject ?? '', from: person(item.from), to: people(item.to), cc: people(item.cc), body, bodyIsHtml: true };
    }
    const subject = await officeCall<string>('Reading the subject', (cb) => item.subject.getAsync(cb));
    const to = await officeCall<Office.EmailAddressDetails[]>('Reading the recipients', (cb) => item.to.getAsync(cb));
    const cc = await officeCall<Office.EmailAddressDetails[]>('Reading the Cc line', (cb) => item.cc.getAsync(cb));
    const from = Office.context.requirements.isSetSupported('Mailbox', '1.7')
      ? await officeCall<Office.EmailAddressDetails>('Reading the sender', (cb) => item.from.getAsync(cb))
      : undefined;
    return { mode: 'compose', subject, from: person(from) ?? this.userAsPerson(), to: people(to), cc: people(cc), body, bodyIsHtml: true };
  }

  async insertBlock(block: InsertBlock): Promise<'html' | 'text'> {
    const item = this.item();
    if (!item || !isCompose(item)) throw new OfficeCallError('Inserting the video', undefined, 'the open item is not being composed');
    const type = await officeCall<Office.CoercionType>('Reading the body format', (cb) => item.body.getTypeAsync(cb));
    // HTML into a plain-text body fails with InvalidFormatError, so plain-text bodies get the text link.
    const coercion = type === Office.CoercionType.Html ? Office.CoercionType.Html : Office.CoercionType.Text;
    const data = coercion === Office.CoercionType.Html ? block.html : block.text;
    await officeCall<void>('Inserting the video', (cb) => item.body.setSelectedDataAsync(data, { coercionType: coercion }, cb));
    return coercion === Office.CoercionType.Html ? 'html' : 'text';
  }

  async replyWithBlock(block: InsertBlock): Promise<void> {
    const item = this.item();
    if (!item || isCompose(item)) throw new OfficeCallError('Opening a reply', undefined, 'the open item is not a received message');
    const read = item as Office.MessageRead & { displayReplyFormAsync?: Office.MessageRead['displayReplyFormAsync'] };
    if (typeof read.displayReplyFormAsync === 'function') {
      await officeCall<void>('Opening a reply', (cb) => read.displayReplyFormAsync({ htmlBody: block.html }, cb));
      return;
    }
    try {
      read.displayReplyForm({ htmlBody: block.html });
    } catch (e) {
      throw new OfficeCallError('Opening a reply', undefined, e instanceof Error ? e.message : String(e));
    }
  }

  async onItemChanged(handler: () => void): Promise<() => Promise<void>> {
    const mailbox = Office.context.mailbox;
    if (!Office.context.requirements.isSetSupported('Mailbox', '1.5')) return async () => {};
    await officeCall<void>('Watching the selected item', (cb) => mailbox.addHandlerAsync(Office.EventType.ItemChanged, handler, cb));
    return () => officeCall<void>('Stop watching the selected item', (cb) => mailbox.removeHandlerAsync(Office.EventType.ItemChanged, cb));
  }

  user(): MailboxUser {
    const p = Office.context.mailbox.userProfile;
    return { name: p?.displayName || undefined, email: p?.emailAddress || undefined };
  }

  displayLanguage(): string {
    return Office.context.displayLanguage || 'en-US';
  }

  private userAsPerson(): Person | undefined {
    const u = this.user();
    return u.email ? { email: u.email, ...(u.name ? { name: u.name } : {}) } : undefined;
  }
}
