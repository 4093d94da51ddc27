import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv, Principal } from '../http/env';

export const NOTIFY_POLL_MS = 1000;
export const NOTIFY_HEARTBEAT_MS = 15_000;
/** A stream ends after this long; the client reconnects with Last-Event-ID (and a fresh token), so a revoked session stops. */
export const NOTIFY_MAX_STREAM_MS = 5 * 60_000;

const CURSOR_RE = /^(\d{1,15})_([0-9a-f-]{36})$/;

/** `Last-Event-ID` → cursor: `<epoch ms>_<notification id>`. */
export function parseCursor(value: string | undefined): { at: Date; id: string } | null {
  const m = value ? CURSOR_RE.exec(value.trim()) : null;
  return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
}
const formatCursor = (c: { at: Date; id: string }) => `${c.at.getTime()}_${c.id}`;

/**
 * Streams the caller's new notifications as SSE (`notification` events carrying a Notification, with an id to
 * resume from). Polls the table rather than an in-process emitter, so notifications created by another API
 * process arrive too. Starts after the newest existing notification unless Last-Event-ID says where.
 */
export async function streamNotifications(
  c: Context<AppEnv>,
  p: Principal,
  opts = { pollMs: NOTIFY_POLL_MS, heartbeatMs: NOTIFY_HEARTBEAT_MS, maxMs: NOTIFY_MAX_STREAM_MS },
) {
  const { notifications } = c.var.container;
  let cursor = parseCursor(c.req.header('last-event-id') ?? c.req.query('last_event_id')) ?? (await notifications.cursorNow(p));
  c.header('Cache-Control', 'no-store');
  return streamSSE(c, async (stream) => {
    let open = true;
    stream.onAbort(() => {
      open = false;
    });
    const started = Date.now();
    // Tells the client the stream is live (and how long to wait before reconnecting).
    await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
    let lastWrite = Date.now();
    while (open && Date.now() - started < opts.maxMs) {
      for (const n of await notifications.since(p, cursor)) {
        cursor = n.cursor;
        lastWrite = Date.now();
        await stream.writeSSE({ event: 'notification', id: formatCursor(cursor), data: JSON.stringify(n.notification) });
      }
      if (Date.now() - lastWrite >= opts.heartbeatMs) {
        lastWrite = Date.now();
        await stream.write(': keep-alive\n\n');
      }
      await stream.sleep(opts.pollMs);
    }
  });
}
