import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv, Principal } from '../http/env';
import { SSE_HEARTBEAT_MS } from '../videos/videos.events';
import { campaignDto, countsDto } from './campaigns.dto';

export const CAMPAIGN_SSE_POLL_MS = 500;
const TERMINAL = new Set(['sent', 'canceled', 'failed']);

/**
 * Streams a campaign's counts per recipient state as SSE, like a video's progress: it polls the database
 * (the workers may be other processes), sends `counts` on every change and `done` with the Campaign at the end.
 */
export async function streamCampaignEvents(c: Context<AppEnv>, p: Principal, id: string, opts = { pollMs: CAMPAIGN_SSE_POLL_MS, heartbeatMs: SSE_HEARTBEAT_MS }) {
  const { campaigns, campaignsRepo } = c.var.container;
  await campaigns.get(p, id); // 404 before the stream starts
  return streamSSE(c, async (stream) => {
    let last = '';
    let lastWrite = Date.now();
    let open = true;
    stream.onAbort(() => {
      open = false;
    });
    while (open) {
      const row = await campaignsRepo.get(p.tenantId, id);
      if (!row) {
        await stream.writeSSE({ event: 'done', data: JSON.stringify({ id, status: 'deleted' }) });
        break;
      }
      const counts = countsDto((await campaignsRepo.counts(p.tenantId, [id])).get(id));
      const data = JSON.stringify({ status: row.status, counts });
      if (data !== last) {
        last = data;
        lastWrite = Date.now();
        await stream.writeSSE({ event: 'counts', data });
      }
      if (TERMINAL.has(row.status)) {
        await stream.writeSSE({ event: 'done', data: JSON.stringify(await campaignDto(campaignsRepo, row)) });
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
