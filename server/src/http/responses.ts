import { ErrorBody } from '@mvs/shared/errors';

const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });

/** Shared OpenAPI error responses, spread into route definitions. */
export const errors = {
  401: err('Missing or invalid access token'),
  403: err('Your role may not do this'),
  404: err('Not found (or belongs to another tenant)'),
  409: err('Conflict'),
  413: err('Upload too large'),
  415: err('Unsupported file type'),
  422: err('Validation failed; `code` and `message` say what to fix'),
  429: err('Too many requests'),
} as const;

export function json<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
