import { AVATAR_LIMITS } from '@mvs/shared/schemas/avatars';
import { CONTACT_LIMITS } from '@mvs/shared/schemas/contacts';
import { RECORDING_LIMITS } from '@mvs/shared/schemas/recordings';
import { LOGO_LIMITS } from '@mvs/shared/schemas/settings';

/*
 * The one table of request-body limits. Every route gets DEFAULT_BODY_LIMIT unless a row below names it;
 * rows exist where a larger body is legitimate (file uploads, imports) or a tighter one is known to be
 * enough. `body-guard.ts` applies it to every route before any handler reads the body.
 *
 * To add a route: append a row (method, path with `:param` segments; a trailing slash matches too).
 */

/** 1 MiB: far above any JSON request of this API (a 100,000-character script is at most ~600 KB escaped). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** JSON deeper than this is refused with 400 json_too_deep (our own schemas nest at most 4 levels). */
export const MAX_JSON_DEPTH = 64;

/** Room for the multipart envelope (boundaries, part headers, other fields) around a maximum-size file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export interface BodyLimitRule {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono-style path: `:name` matches one segment. */
  path: string;
  maxBytes: number;
  /** The 413's code: uploads answer file_too_large, everything else payload_too_large. */
  code?: 'payload_too_large' | 'file_too_large';
  /** The 413's message; the default names the limit and the route. */
  message?: string;
  /**
   * The handler reads the body as a stream (a 50 MB CSV import): a chunked body is counted while it passes
   * on to the handler instead of being buffered first. The 413 then surfaces from the handler's read.
   */
  streamed?: boolean;
}

const mb = (n: number) => `${n / 1024 / 1024} MB`;

export const BODY_LIMITS: readonly BodyLimitRule[] = [
  {
    method: 'POST',
    path: '/api/v1/avatars/:id/upload-photo',
    maxBytes: AVATAR_LIMITS.maxPhotoBytes + MULTIPART_OVERHEAD,
    code: 'file_too_large',
    message: `The photo is larger than ${mb(AVATAR_LIMITS.maxPhotoBytes)}; send a smaller file`,
  },
  {
    method: 'POST',
    path: '/api/v1/avatars/:id/upload-voice',
    maxBytes: AVATAR_LIMITS.maxVoiceBytes + MULTIPART_OVERHEAD,
    code: 'file_too_large',
    message: `The voice sample is larger than ${mb(AVATAR_LIMITS.maxVoiceBytes)}; send a smaller file`,
  },
  {
    method: 'POST',
    path: '/api/v1/recordings',
    maxBytes: RECORDING_LIMITS.maxBytes + MULTIPART_OVERHEAD,
    code: 'file_too_large',
    message: `The recording is larger than ${mb(RECORDING_LIMITS.maxBytes)}; send a shorter or more compressed one`,
  },
  {
    method: 'POST',
    path: '/api/v1/settings/branding/logo',
    maxBytes: LOGO_LIMITS.maxBytes + MULTIPART_OVERHEAD,
    code: 'file_too_large',
    message: `The logo is larger than ${mb(LOGO_LIMITS.maxBytes)}; send a smaller file`,
  },
  // An email body of 100,000 characters (the schema's maximum) with JSON escapes stays well under 512 KB.
  ...(['/api/v1/emails/summarize', '/api/v1/emails/draft-script'] as const).map((path) => ({
    method: 'POST' as const,
    path,
    maxBytes: 512 * 1024,
    message: 'Request is over 512 KB; send only the latest message (body ≤ 100,000 characters)',
  })),
  // SendGrid batches up to 1,000 events (about 1 KB each) per POST.
  { method: 'POST', path: '/api/v1/webhooks/sendgrid', maxBytes: 4 * 1024 * 1024 },
  // The contact import streams its CSV to disk and parses it from there; never buffered.
  {
    method: 'POST',
    path: '/api/v1/contacts/import',
    maxBytes: CONTACT_LIMITS.maxImportBytes + MULTIPART_OVERHEAD,
    streamed: true,
    message: `The file is larger than ${mb(CONTACT_LIMITS.maxImportBytes)}; split it into smaller files and import them one by one`,
  },
  // A player beacon is a token and two small fields.
  { method: 'POST', path: '/api/v1/track', maxBytes: 4 * 1024, message: 'A beacon is a small JSON object; this one is over 4 KB' },
];

export interface ResolvedBodyLimit {
  maxBytes: number;
  streamed: boolean;
  code: 'payload_too_large' | 'file_too_large';
  message: string;
}

interface Compiled {
  method: string;
  re: RegExp;
  limit: ResolvedBodyLimit;
}

const compile = (rule: BodyLimitRule): Compiled => {
  const pattern = rule.path
    .replace(/\/$/, '')
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return {
    method: rule.method,
    re: new RegExp(`^${pattern}/?$`),
    limit: {
      maxBytes: rule.maxBytes,
      streamed: rule.streamed ?? false,
      code: rule.code ?? 'payload_too_large',
      message: rule.message ?? `Request body is larger than ${formatBytes(rule.maxBytes)}, the limit for ${rule.method} ${rule.path}; send less`,
    },
  };
};

/** "1 MB", "512 KB", "10.06 MB": how a limit reads in a message. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / 1024 / 1024).toFixed(2))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} bytes`;
}

/** Builds the lookup once; `limitFor(method, path)` answers the row for a request, else the default. */
export function bodyLimits(rules: readonly BodyLimitRule[] = BODY_LIMITS, defaultBytes = DEFAULT_BODY_LIMIT) {
  const compiled = rules.map(compile);
  const fallback: ResolvedBodyLimit = {
    maxBytes: defaultBytes,
    streamed: false,
    code: 'payload_too_large',
    message: `Request body is larger than ${formatBytes(defaultBytes)}; send less (JSON requests are limited to ${formatBytes(defaultBytes)})`,
  };
  return (method: string, path: string): ResolvedBodyLimit => {
    for (const r of compiled) if (r.method === method && r.re.test(path)) return r.limit;
    return fallback;
  };
}
