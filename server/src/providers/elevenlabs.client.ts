import type { Logger } from '../logger';
import { DEFAULT_RETRY, parseRetryAfter, ProviderHttpError, withRetry, type RetryPolicy } from './provider-retry';
import { redactSecrets } from './redact';

export interface ElevenLabsClientConfig {
  apiKey: string;
  /** https://api.elevenlabs.io, or a local fake in tests. */
  baseUrl: string;
  log?: Logger;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** Reads the documented error bodies: `{detail:{status,message}}` and the 422 `{detail:[{msg}]}` list. */
export function describeElevenLabsError(body: string): string {
  try {
    const j = JSON.parse(body) as { detail?: { status?: string; message?: string } | { msg?: string }[] | string };
    const d = j.detail;
    if (typeof d === 'string') return d;
    if (Array.isArray(d)) return d.map((x) => x.msg).filter(Boolean).join('; ') || 'validation error';
    if (d) return [d.status, d.message].filter(Boolean).join(': ') || 'error';
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || 'no details';
}

/** Minimal fetch client for the ElevenLabs REST API (xi-api-key auth, bounded retries, no key in errors). */
export class ElevenLabsClient {
  constructor(private readonly cfg: ElevenLabsClientConfig) {}

  /** Sends one request with retries; resolves the 2xx response body as JSON. */
  request<T>(path: string, init: { method: 'GET' | 'POST'; json?: unknown; form?: FormData; query?: Record<string, string> }, signal?: AbortSignal): Promise<T> {
    return withRetry('elevenlabs', () => this.once<T>(path, init, signal), { policy: this.cfg.retry ?? DEFAULT_RETRY, log: this.cfg.log, signal });
  }

  private async once<T>(path: string, init: { method: string; json?: unknown; form?: FormData; query?: Record<string, string> }, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.cfg.baseUrl.endsWith('/') ? this.cfg.baseUrl : `${this.cfg.baseUrl}/`);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { 'xi-api-key': this.cfg.apiKey, accept: 'application/json' };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.cfg.timeoutMs ?? 120_000);
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        headers,
        body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ProviderHttpError('network', `could not reach ElevenLabs (${(e as Error).name})`);
    }
    const text = await res.text();
    if (!res.ok) {
      throw new ProviderHttpError(res.status, redactSecrets(describeElevenLabsError(text), this.cfg.apiKey), parseRetryAfter(res.headers));
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderHttpError(502, 'response was not JSON');
    }
  }
}
