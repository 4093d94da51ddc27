import { ApiError, type ApiClient } from './api-client';
import type { Video, VideoProgressEvent } from './api-types';
import { SseParser } from './sse-parser';

export type ProgressUpdate = Pick<VideoProgressEvent, 'status' | 'stage' | 'progress'>;
const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/**
 * Follows a render until it ends: the SSE stream first (fetch streaming, so the Bearer header is sent),
 * polling GET /videos/{id} when the stream is unavailable or drops. Resolves with the final Video.
 */
export async function followVideo(
  api: ApiClient,
  id: string,
  onUpdate: (u: ProgressUpdate) => void,
  signal: AbortSignal,
  opts: { pollMs?: number; stream?: boolean } = {},
): Promise<Video> {
  if (opts.stream !== false) {
    try {
      const done = await followStream(api, id, onUpdate, signal);
      if (done) return done;
    } catch (e) {
      if (signal.aborted) throw e;
      // Streams break behind some proxies; polling gives the same result, just later.
    }
  }
  return poll(api, id, onUpdate, signal, opts.pollMs ?? 1500);
}

async function followStream(api: ApiClient, id: string, onUpdate: (u: ProgressUpdate) => void, signal: AbortSignal): Promise<Video | null> {
  const res = await api.openEvents(id, signal);
  if (!res.body) return null;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return null;
    for (const ev of parser.push(value)) {
      const data = JSON.parse(ev.data) as ProgressUpdate & Partial<Video>;
      if (ev.event === 'progress') onUpdate({ status: data.status, stage: data.stage ?? null, progress: data.progress ?? 0 });
      if (ev.event === 'done') {
        await reader.cancel().catch(() => undefined);
        if ((data.status as string) === 'deleted') throw new ApiError(404, 'not_found', 'The video was deleted');
        return data as Video;
      }
    }
  }
}

async function poll(api: ApiClient, id: string, onUpdate: (u: ProgressUpdate) => void, signal: AbortSignal, pollMs: number): Promise<Video> {
  for (;;) {
    const v = await api.video(id, signal);
    onUpdate({ status: v.status, stage: v.stage, progress: v.progress });
    if (TERMINAL.has(v.status)) return v;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });
  }
}
