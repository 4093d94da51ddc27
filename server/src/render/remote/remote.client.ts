import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../errors';

export interface RemoteJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress?: number;
  error?: null | { code?: string; message?: string };
}

export interface RemoteClientOptions {
  baseUrl: string;
  token?: string;
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Maps a worker failure to our error: 401 → 422 provider_auth_failed, 429 → 429, 5xx → 503, other 4xx → 422. Pure. */
export function remoteError(what: string, status: number, body: { error?: { code?: string; message?: string } } | null): AppError {
  const text = body?.error ? `${body.error.code ?? ''}: ${body.error.message ?? ''}` : `HTTP ${status || 'no answer'}`;
  if (status === 401 || status === 403) return new AppError(422, 'provider_auth_failed', `The remote renderer refused our token while trying to ${what} (check REMOTE_RENDERER_TOKEN)`);
  if (status === 429) return new AppError(429, 'provider_rate_limited', `The remote renderer is busy (${what}); will retry`);
  if (status === 0 || status >= 500) return new AppError(503, 'provider_unavailable', `The remote renderer is unavailable while trying to ${what}: ${text}`);
  return new AppError(422, 'render_failed', `The remote renderer could not ${what}: ${text}`);
}

/** Client for the GPU worker contract in docs/remote-renderer.md (backoff on 429/5xx; idempotent job_id). */
export class RemoteRendererClient {
  constructor(private readonly o: RemoteClientOptions) {}

  createJob(photo: { data: Buffer; mime: string }, audio: Buffer, params: { job_id: string; width: number; height: number; fps: number }, signal?: AbortSignal): Promise<RemoteJob> {
    return this.call<RemoteJob>('start the job', '/v1/jobs', signal, () => {
      const form = new FormData();
      form.set('photo', new Blob([photo.data], { type: photo.mime }), photo.mime === 'image/png' ? 'photo.png' : 'photo.jpg');
      form.set('audio', new Blob([audio], { type: 'audio/wav' }), 'speech.wav');
      form.set('params', new Blob([JSON.stringify(params)], { type: 'application/json' }), 'params.json');
      return { method: 'POST', body: form };
    });
  }

  job(id: string, signal?: AbortSignal): Promise<RemoteJob> {
    return this.call<RemoteJob>('check the job', `/v1/jobs/${encodeURIComponent(id)}`, signal, () => ({ method: 'GET' }));
  }

  async downloadResult(id: string, file: string, signal?: AbortSignal): Promise<void> {
    const res = await this.fetch(`/v1/jobs/${encodeURIComponent(id)}/result`, { method: 'GET' }, signal);
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw remoteError('download the result', res.status, body);
    }
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
  }

  async deleteJob(id: string): Promise<void> {
    await this.fetch(`/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }).then((r) => r.body?.cancel(), () => {});
  }

  private fetch(p: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.o.token) headers.set('authorization', `Bearer ${this.o.token}`);
    const t = AbortSignal.timeout(this.o.timeoutMs ?? 120_000);
    return fetch(`${this.o.baseUrl.replace(/\/$/, '')}${p}`, { ...init, headers, signal: signal ? AbortSignal.any([signal, t]) : t });
  }

  private async call<T>(what: string, p: string, signal: AbortSignal | undefined, init: () => RequestInit): Promise<T> {
    const attempts = this.o.attempts ?? 3;
    let last: AppError | null = null;
    for (let i = 0; i < attempts; i++) {
      let status = 0;
      let body: unknown = null;
      let retryAfter: string | null = null;
      try {
        const res = await this.fetch(p, init(), signal);
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        body = await res.json().catch(() => null);
      } catch (err) {
        if (signal?.aborted) throw err;
      }
      if (status >= 200 && status < 300 && body) return body as T;
      last = remoteError(what, status, body as never);
      if (!(status === 0 || status === 429 || status >= 500) || i === attempts - 1) break;
      const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
      await sleep(Math.min(30_000, Math.max(hinted, (this.o.backoffMs ?? 1000) * 2 ** i)), signal);
    }
    throw last!;
  }
}
