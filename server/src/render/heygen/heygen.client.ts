import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../errors';
import { heygenError, isSuccess, isTransient, type HeyGenEnvelope } from './heygen-errors';

export interface HeyGenClientOptions {
  apiKey: string;
  apiBase: string;
  uploadBase: string;
  /** Attempts per call for 429/5xx/network errors (default 3). */
  attempts?: number;
  /** First backoff delay; doubles per attempt; Retry-After wins when given (default 1000 ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

export type HeyGenStatus = 'pending' | 'waiting' | 'processing' | 'completed' | 'failed';
export interface VideoStatus {
  status: HeyGenStatus;
  videoUrl: string | null;
  durationSec: number | null;
  error: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** HeyGen REST client (upload host + API host) with bounded backoff on 429/5xx; bodies never logged. */
export class HeyGenClient {
  constructor(private readonly o: HeyGenClientOptions) {}

  /** Uploads a JPEG/PNG as a talking photo; returns its id. */
  async uploadTalkingPhoto(photo: Buffer, mime: 'image/jpeg' | 'image/png', signal?: AbortSignal): Promise<string> {
    const d = await this.call<{ talking_photo_id?: string }>('upload the photo', `${this.o.uploadBase}/v1/talking_photo`, { method: 'POST', body: photo, contentType: mime }, signal);
    if (!d.talking_photo_id) throw new AppError(502, 'provider_error', 'HeyGen: talking photo upload returned no id');
    return d.talking_photo_id;
  }

  /** Uploads an asset (here: our speech as MP3); returns the asset id. */
  async uploadAsset(body: Buffer, mime: 'audio/mpeg' | 'image/jpeg' | 'image/png', signal?: AbortSignal): Promise<string> {
    const d = await this.call<{ id?: string }>('upload the audio', `${this.o.uploadBase}/v1/asset`, { method: 'POST', body, contentType: mime }, signal);
    if (!d.id) throw new AppError(502, 'provider_error', 'HeyGen: asset upload returned no id');
    return d.id;
  }

  /** Starts a render; returns HeyGen's video id. A 200 does not mean the render will succeed. */
  async generate(request: object, signal?: AbortSignal): Promise<string> {
    const d = await this.call<{ video_id?: string }>('start the video', `${this.o.apiBase}/v2/video/generate`, { method: 'POST', body: JSON.stringify(request), contentType: 'application/json' }, signal);
    if (!d.video_id) throw new AppError(502, 'provider_error', 'HeyGen: generate returned no video_id');
    return d.video_id;
  }

  /** Current render status; `videoUrl` is freshly signed on every call. */
  async status(videoId: string, signal?: AbortSignal): Promise<VideoStatus> {
    const url = `${this.o.apiBase}/v1/video_status.get?video_id=${encodeURIComponent(videoId)}`;
    const d = await this.call<{ status?: HeyGenStatus; video_url?: string | null; duration?: number | null; error?: null | { code?: unknown; message?: string; detail?: string } }>('check the video', url, { method: 'GET' }, signal);
    const status = d.status ?? 'pending';
    const err = d.error ? [d.error.message, d.error.detail].filter(Boolean).join(' — ') || 'unknown error' : null;
    return { status, videoUrl: d.video_url ?? null, durationSec: d.duration ?? null, error: err };
  }

  /** Downloads a signed result URL to a file; resolves the HTTP status (2xx = written). No API key is sent. */
  async download(url: string, file: string, signal?: AbortSignal): Promise<number> {
    const res = await fetch(url, { signal: this.timeout(signal) });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return res.status;
    }
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
    return res.status;
  }

  private timeout(signal?: AbortSignal): AbortSignal {
    const t = AbortSignal.timeout(this.o.timeoutMs ?? 120_000);
    return signal ? AbortSignal.any([signal, t]) : t;
  }

  private async call<T>(what: string, url: string, req: { method: string; body?: Buffer | string; contentType?: string }, signal?: AbortSignal): Promise<T> {
    const attempts = this.o.attempts ?? 3;
    const base = this.o.backoffMs ?? 1000;
    let last: AppError | null = null;
    for (let i = 0; i < attempts; i++) {
      let status = 0;
      let body: HeyGenEnvelope<T> | null = null;
      let retryAfter: string | null = null;
      try {
        const headers: Record<string, string> = { 'x-api-key': this.o.apiKey, accept: 'application/json' };
        if (req.contentType) headers['content-type'] = req.contentType;
        const res = await fetch(url, { method: req.method, headers, body: req.body, signal: this.timeout(signal) });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        body = (await res.json().catch(() => null)) as HeyGenEnvelope<T> | null;
      } catch (err) {
        if (signal?.aborted) throw err;
      }
      if (isSuccess(status, body)) return body!.data as T;
      last = heygenError(what, status, body);
      if (!isTransient(status) || i === attempts - 1) break;
      const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
      await sleep(Math.min(this.o.maxBackoffMs ?? 60_000, Math.max(hinted, base * 2 ** i)), signal);
    }
    throw last!;
  }
}
