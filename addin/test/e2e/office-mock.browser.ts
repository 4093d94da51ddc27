/**
 * Source of a fake Office.js for the browser: served in place of the CDN office.js (outlook.md §4.6).
 * It holds one message (compose or read) and records what the add-in inserts in window.__inserted and
 * the reply forms it opens in window.__replies.
 */
export interface BrowserMailItem {
  mode: 'compose' | 'read';
  subject: string;
  from: { name?: string; email: string };
  to: { name?: string; email: string }[];
  body: string;
  bodyType: 'html' | 'text';
  displayLanguage: string;
  user: { displayName: string; emailAddress: string };
}

export function officeMockSource(item: BrowserMailItem): string {
  return `(() => {
  const data = ${JSON.stringify(item)};
  const ok = (value) => ({ status: 'succeeded', value });
  const later = (cb, r) => setTimeout(() => cb(r), 5);
  const addr = (p) => ({ emailAddress: p.email, displayName: p.name || p.email });
  window.__inserted = [];
  window.__replies = [];
  const body = {
    getAsync: (type, a, b) => later(typeof a === 'function' ? a : b, ok(data.body)),
    getTypeAsync: (cb) => later(cb, ok(data.bodyType)),
    setSelectedDataAsync: (d, opts, cb) => { window.__inserted.push({ data: d, coercionType: opts.coercionType }); later(cb, ok()); },
  };
  const notificationMessages = { replaceAsync: (k, m, cb) => later(cb, ok()) };
  const item = data.mode === 'compose'
    ? { itemType: 'message', body, notificationMessages,
        subject: { getAsync: (cb) => later(cb, ok(data.subject)) },
        to: { getAsync: (cb) => later(cb, ok(data.to.map(addr))) },
        cc: { getAsync: (cb) => later(cb, ok([])) },
        from: { getAsync: (cb) => later(cb, ok(addr(data.from))) } }
    : { itemType: 'message', body, notificationMessages, subject: data.subject, from: addr(data.from), to: data.to.map(addr), cc: [],
        displayReplyFormAsync: (form, cb) => { window.__replies.push(form.htmlBody); later(cb, ok()); } };
  window.Office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Html: 'html', Text: 'text' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    MailboxEnums: { ItemNotificationMessageType: { InformationalMessage: 'informationalMessage' } },
    HostType: { Outlook: 'Outlook' },
    onReady: (cb) => { const info = { host: 'Outlook', platform: 'OfficeOnline' }; if (cb) setTimeout(() => cb(info), 0); return Promise.resolve(info); },
    actions: { associate: () => {} },
    auth: { getAuthContext: () => Promise.reject(new Error('not in Outlook')) },
    context: {
      displayLanguage: data.displayLanguage,
      requirements: { isSetSupported: (name, v) => name === 'Mailbox' && Number(v || '1') <= 1.9 },
      mailbox: {
        item,
        userProfile: data.user,
        addHandlerAsync: (t, h, cb) => later(cb, ok()),
        removeHandlerAsync: (t, cb) => later(cb, ok()),
      },
    },
  };
})();`;
}
