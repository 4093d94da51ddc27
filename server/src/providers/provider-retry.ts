import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import type { Logger } from '../logger';

export type ProviderName = 'openai' | 'elevenlabs';

/** A failed HTTP exchange with a provider, before it is mapped to our error codes. Never carries credentials. */
export class ProviderHttpError extends Error {
  constructor(
    readonly status: number | 'network',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderHttpError';
  }
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  /** Cap for one wait, also for a server-sent Retry-After (bounded so a job never hangs). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Parses `retry-after-ms` or `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(headers: { get(name: string): string | null }, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const retryable = (s: ProviderHttpError['status']) => s === 'network' || s === 408 || s === 429 || (typeof s === 'number' && s >= 500);

/** The wait before attempt n+1: the server's Retry-After when given, else exponential with jitter; both capped. */
export function retryDelayMs(err: ProviderHttpError, attempt: number, p: RetryPolicy, rand = Math.random): number {
  const base = err.retryAfterMs ?? p.baseDelayMs * 2 ** (attempt - 1) * (0.75 + rand() * 0.5);
  return Math.min(p.maxDelayMs, Math.max(0, Math.round(base)));
}

/** Maps a provider failure to the AppError a render job records (and the queue retries later). */
export function toAppError(provider: ProviderName, err: ProviderHttpError): AppError {
  const details = { provider, status: err.status };
  const label = provider === 'openai' ? 'OpenAI' : 'ElevenLabs';
  if (err.status === 401 || err.status === 403) {
    return new AppError(502, 'provider_auth_failed', `${label} refused our API key (${err.status}); check the key in the server settings`, details);
  }
  if (err.status === 429) return new AppError(503, 'provider_rate_limited', `${label} is rate limiting us; try again shortly`, details);
  if (retryable(err.status)) return new AppError(503, 'provider_unavailable', `${label} is unavailable (${err.status}): ${err.message}`, details);
  // Another 4xx (unknown voice, text over the limit): retrying cannot fix it, so a render fails for good.
  return new AppError(422, 'provider_error', `${label} rejected the request (${err.status}): ${err.message}`, details);
}

/**
 * Runs one provider call with bounded retries: 429, 408, 5xx and network errors are retried honouring Retry-After;
 * 401/403 and other 4xx are not. Failures come out as AppError with a provider_* code.
 */
export async function withRetry<T>(
  provider: ProviderName,
  fn: () => Promise<T>,
  opts: { policy?: RetryPolicy; log?: Logger; signal?: AbortSignal },
): Promise<T> {
  const p = opts.policy ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ProviderHttpError)) throw e;
      if (!retryable(e.status) || attempt >= p.attempts || opts.signal?.aborted) throw toAppError(provider, e);
      const delay = retryDelayMs(e, attempt, p);
      opts.log?.warn({ provider, status: e.status, attempt, delayMs: delay }, 'provider call failed; retrying');
      await sleep(delay, undefined, { signal: opts.signal });
    }
  }
}
