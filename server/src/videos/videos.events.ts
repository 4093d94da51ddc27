import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/env';
import type { Principal } from '../http/env';
import { toVideoDto } from './videos.dto';

export const SSE_POLL_MS = 300;
export const SSE_HEARTBEAT_MS = 15_000;
const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/**
 * Streams a video's progress as SSE. It polls the row (not an in-process emitter) so it works when the
 * worker runs in another process: `progress` on every change, `done` with the Video at the end.
 */
export async function streamVideoEvents(c: Context<AppEnv>, p: Principal, id: string, opts = { pollMs: SSE_POLL_MS, heartbeatMs: SSE_HEARTBEAT_MS }) {
  const { videosService, videosRepo, storage, config } = c.var.container;
  await videosService.get(p, id); // 404 before the stream starts
  return streamSSE(c, async (stream) => {
    let last = '';
    let lastWrite = Date.now();
    let open = true;
    stream.onAbort(() => {
      open = false;
    });
    while (open) {
      const s = await videosRepo.pollState(p.tenantId, id);
      if (!s || s.deleted_at) {
        await stream.writeSSE({ event: 'done', data: JSON.stringify({ id, status: 'deleted' }) });
        break;
      }
      const key = `${s.status}|${s.stage}|${s.progress}`;
      if (key !== last) {
        last = key;
        lastWrite = Date.now();
        await stream.writeSSE({ event: 'progress', data: JSON.stringify({ status: s.status, stage: s.stage, progress: s.progress }) });
      }
      if (TERMINAL.has(s.status)) {
        const row = await videosService.get(p, id);
        await stream.writeSSE({ event: 'done', data: JSON.stringify(await toVideoDto(row, storage, config.PUBLIC_URL)) });
        break;
      }
      if (Date.now() - lastWrite >= opts.heartbeatMs) {
        lastWrite = Date.now();
        await stream.write(': keep-alive\n\n');
      }
      await stream.sleep(opts.pollMs);
    }
  });
}
