import { AppError } from '../../errors';

/** HeyGen's two envelopes: v1 `{code: 100, data, message}` and v2 `{error: null | {code, message}, data}`. */
export interface HeyGenEnvelope<T> {
  code?: number;
  data?: T | null;
  error?: null | string | { code?: string | number; message?: string; detail?: string };
  message?: string | null;
  msg?: string | null;
}

const errorText = (body: HeyGenEnvelope<unknown> | null): string => {
  if (!body) return 'no response body';
  const e = body.error;
  if (e && typeof e === 'object') return [e.code, e.message ?? e.detail].filter(Boolean).join(': ');
  if (typeof e === 'string') return e;
  return body.message ?? body.msg ?? `code ${body.code ?? '?'}`;
};

/** Success ⇔ 2xx, `error` null or absent, v1 `code` absent or 100, and `data` present. Pure. */
export function isSuccess(status: number, body: HeyGenEnvelope<unknown> | null): boolean {
  return status >= 200 && status < 300 && !!body && !body.error && (body.code === undefined || body.code === 100) && body.data != null;
}

/** Whether a failure is worth retrying soon (rate limit, server trouble, no answer). Pure. */
export const isTransient = (status: number) => status === 429 || status >= 500 || status === 0;

/**
 * Maps a failed HeyGen call to our error. Transient ones (429 → 429, 5xx/network → 503) are retried by the
 * render job; the others are 422 so the job stops and the video row carries the reason. Pure.
 */
export function heygenError(what: string, status: number, body: HeyGenEnvelope<unknown> | null): AppError {
  const text = errorText(body);
  if (status === 401 || status === 403) {
    return new AppError(422, 'provider_auth_failed', `HeyGen refused the API key while trying to ${what} (check HEYGEN_API_KEY): ${text}`);
  }
  if (status === 402) return new AppError(422, 'provider_error', `HeyGen: not enough credits to ${what}`);
  if (status === 429) return new AppError(429, 'provider_rate_limited', `HeyGen rate limit while trying to ${what}; will retry`);
  if (status === 0 || status >= 500) return new AppError(503, 'provider_unavailable', `HeyGen is unavailable (${status || 'no answer'}) while trying to ${what}: ${text}`);
  return new AppError(422, 'provider_error', `HeyGen could not ${what}: ${text}`);
}
