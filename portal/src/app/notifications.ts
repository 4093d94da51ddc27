import type { ApiClient } from '@mvs/shared/api/api-client';
import type { Notification } from '@mvs/shared/api/api-types';
import { SseParser } from '@mvs/shared/api/sse-parser';
import { useEffect, useRef } from 'react';

const RECONNECT_MS = 3000;

/**
 * Follows GET /api/v1/notifications/events while mounted: calls `onNotification` for each new one, reconnects after
 * the server ends the stream (every few minutes) or the network drops, resuming from the last event id.
 */
export function useNotificationStream(api: ApiClient, onNotification: (n: Notification) => void): void {
  const cb = useRef(onNotification);
  cb.current = onNotification;
  useEffect(() => {
    const ctrl = new AbortController();
    let lastId: string | undefined;
    const run = async () => {
      while (!ctrl.signal.aborted) {
        try {
          const res = await api.stream('/api/v1/notifications/events', ctrl.signal, lastId);
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new SseParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const ev of parser.push(value)) {
              if (ev.id) lastId = ev.id;
              if (ev.event === 'notification') cb.current(JSON.parse(ev.data) as Notification);
            }
          }
        } catch (e) {
          if (ctrl.signal.aborted) return;
          // 401s are handled by the client (back to sign-in); other failures retry below.
          if ((e as { status?: number }).status === 401) return;
        }
        await new Promise((r) => setTimeout(r, RECONNECT_MS));
      }
    };
    void run();
    return () => ctrl.abort();
  }, [api]);
}
