/** The add-in's view of Outlook: components and services depend on this port, never on Office.js. */

export type ItemMode = 'read' | 'compose';

export interface Person {
  name?: string;
  email: string;
}

/** The open message as Outlook gives it (body not yet cleaned). */
export interface MailItem {
  mode: ItemMode;
  subject: string;
  from?: Person;
  to: Person[];
  cc: Person[];
  body: string;
  bodyIsHtml: boolean;
}

/** What gets inserted: an HTML block for HTML bodies and a text fallback for plain-text bodies. */
export interface InsertBlock {
  html: string;
  text: string;
}

export interface MailboxUser {
  name?: string;
  email?: string;
}

export interface Mailbox {
  /** The open item, or null when a pinned pane has nothing selected. */
  readItem(): Promise<MailItem | null>;
  /** Compose mode: inserts at the cursor; returns which coercion the body accepted. */
  insertBlock(block: InsertBlock): Promise<'html' | 'text'>;
  /** Read mode: opens a reply form that already holds the block. */
  replyWithBlock(block: InsertBlock): Promise<void>;
  /** Calls back when a pinned pane moves to another item; resolves to an unsubscribe function. */
  onItemChanged(handler: () => void): Promise<() => Promise<void>>;
  user(): MailboxUser;
  /** Office UI language, e.g. "vi-VN". */
  displayLanguage(): string;
}

/** Thrown by Office adapters when an Office call reports failure. */
export class OfficeCallError extends Error {
  constructor(
    readonly operation: string,
    readonly officeCode: number | undefined,
    detail: string,
  ) {
    super(`${operation} failed: ${detail}`);
    this.name = 'OfficeCallError';
  }
}
