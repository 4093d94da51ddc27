import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** The database (or the queue inside it) cannot be reached right now; the API answers 503 database_unavailable. */
export class DatabaseUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}

// SQLSTATE: admin/crash shutdown, starting up, too many connections, and class 08 (connection exceptions).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|the database system is (starting up|shutting down)/i;

/** True for errors that mean "the server went away or is not accepting connections", not for SQL errors. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionError); // every address of the host refused
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SOCKET_CODES.has(code) || (typeof e?.message === 'string' && MESSAGES.test(e.message));
}

const mapped = (err: unknown) => (isConnectionError(err) && !(err instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(err) : err);

/** Rethrows connection failures (at connect and mid-query) as DatabaseUnavailableError, so HTTP can answer 503. */
export function guardPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch((e: unknown) => Promise.reject(mapped(e)));
      // pg emits 'error' on a checked-out client whose server went away between queries (inside a transaction,
      // say); unheard, that event would crash the process. Remember it and destroy the client on release.
      let broken = false;
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      return {
        query: ((...args: unknown[]) => {
          const r = (client.query as (...a: unknown[]) => unknown)(...args);
          return r instanceof Promise ? r.catch((e: unknown) => Promise.reject(mapped(e))) : r;
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.off('error', onError);
          client.release(destroy || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

/** For other clients of the same database (pg-boss): map a connection failure the same way. */
export const mapUnavailable = mapped;
