import type { ErrorCode } from '@mvs/shared/errors';

/** An expected failure with an HTTP status and a stable code; anything else becomes a 500. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 502 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string) => new AppError(404, 'not_found', `${what} ${id}: not found`);
export const forbidden = (message = 'Your role may not do this') => new AppError(403, 'forbidden', message);
