import { OfficeMockObject } from 'office-addin-mock';
import type { Person } from '../src/office/mailbox';

type Cb = (r: unknown) => void;
const ok = (value: unknown) => ({ status: 'succeeded', value });
const failed = (code: number, message: string) => ({ status: 'failed', error: { code, name: 'Error', message } });
const details = (p: Person) => ({ emailAddress: p.email, displayName: p.name ?? p.email });

export interface MockOptions {
  mode: 'compose' | 'read';
  subject: string;
  from: Person;
  to: Person[];
  body: string;
  bodyType?: 'html' | 'text';
  /** Office operations that report failure, e.g. { 'body.getAsync': [9020, 'Generic'] }. */
  fail?: Record<string, [number, string]>;
  noItem?: boolean;
  displayLanguage?: string;
}

export interface MockRecord {
  inserted: { data: string; coercionType: string }[];
  replies: string[];
  notifications: string[];
  handlers: string[];
}

/** An Outlook `Office` object (office-addin-mock, host "outlook") holding one message. */
export function createOfficeMock(o: MockOptions): { office: OfficeMockObject; record: MockRecord } {
  const record: MockRecord = { inserted: [], replies: [], notifications: [], handlers: [] };
  const result = (op: string, value: unknown) => (o.fail?.[op] ? failed(...o.fail[op]) : ok(value));
  const body = {
    getAsync: (_type: string, a: unknown, b?: unknown) => ((typeof a === 'function' ? a : b) as Cb)(result('body.getAsync', o.body)),
    getTypeAsync: (cb: Cb) => cb(result('body.getTypeAsync', o.bodyType ?? 'html')),
    setSelectedDataAsync: (data: string, opts: { coercionType: string }, cb: Cb) => {
      const r = result('body.setSelectedDataAsync', undefined);
      if ((r as { status: string }).status === 'succeeded') record.inserted.push({ data, coercionType: opts.coercionType });
      cb(r);
    },
  };
  const notificationMessages = {
    replaceAsync: (_key: string, m: { message: string }, cb: Cb) => (record.notifications.push(m.message), cb(ok(undefined))),
  };
  const compose = {
    subject: { getAsync: (cb: Cb) => cb(result('subject.getAsync', o.subject)) },
    to: { getAsync: (cb: Cb) => cb(result('to.getAsync', o.to.map(details))) },
    cc: { getAsync: (cb: Cb) => cb(ok([])) },
    from: { getAsync: (cb: Cb) => cb(result('from.getAsync', details(o.from))) },
    body,
    notificationMessages,
  };
  const read = {
    subject: o.subject,
    from: details(o.from),
    to: o.to.map(details),
    cc: [],
    body,
    notificationMessages,
    displayReplyFormAsync: (form: { htmlBody: string }, cb: Cb) => {
      const r = result('displayReplyFormAsync', undefined);
      if ((r as { status: string }).status === 'succeeded') record.replies.push(form.htmlBody);
      cb(r);
    },
  };
  const office = new OfficeMockObject({
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Html: 'html', Text: 'text' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage' } },
    context: {
      displayLanguage: o.displayLanguage ?? 'en-US',
      requirements: { isSetSupported: (_name: string, version?: string) => Number(version ?? '1') <= 1.9 },
      mailbox: {
        // office-addin-mock cannot hold null: an absent item is how a pinned pane with no selection looks here.
        ...(o.noItem ? {} : { item: o.mode === 'compose' ? compose : read }),
        userProfile: { displayName: 'Alex Carter', emailAddress: 'alex@acme.example' },
        addHandlerAsync: (type: string, _h: unknown, cb: Cb) => (record.handlers.push(type), cb(ok(undefined))),
        removeHandlerAsync: (_type: string, cb: Cb) => cb(ok(undefined)),
      },
    },
  });
  return { office, record };
}

/** Installs the mock as the global `Office`; returns a restore function. */
export function installOffice(office: OfficeMockObject): () => void {
  const g = globalThis as { Office?: unknown };
  const before = g.Office;
  g.Office = office;
  return () => {
    g.Office = before;
  };
}
