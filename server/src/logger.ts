import { pino, type Logger } from 'pino';

export type { Logger };

/** Root logger; modules take a child with `{ module }`. Secrets are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password', '*.password', 'token', '*.token', 'access_token', '*.access_token', 'refresh_token',
        '*.refresh_token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
        'SECRET_KEY', '*.apiKey', 'apiKey',
      ],
      censor: '[redacted]',
    },
  });
}
