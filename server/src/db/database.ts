import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type DatabaseConnection, type Driver, type QueryResult, CompiledQuery } from 'kysely';
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import pg from 'pg';
import { parseTimestamptz } from './pg-dates';
import { guardPool } from './unavailable';
import type { DB } from './types';

// int8 (counts, bigserial) as a JS number, as PGlite already does, so both backends return the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));
// timestamptz without regular expressions; same results as pg's parser (see pg-dates.test.ts).
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

/** A handle on the database: Kysely plus what pg-boss needs to share it. */
export interface Database {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** For pg-boss: a connection string (PostgreSQL) or an executeSql adapter (PGlite). */
  boss: { connectionString: string } | { db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } };
  close(): Promise<void>;
}

/** Serialises access to PGlite's single session: one query or one whole transaction at a time. */
class Gate {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function commandOf(sql: string): string {
  return (/^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1] ?? '').toUpperCase();
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pgl: PGlite) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pgl.query<R>(q.sql, q.parameters as unknown[]);
    const command = commandOf(q.sql);
    const affects = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return {
      rows: res.rows,
      ...(affects ? { numAffectedRows: BigInt(res.affectedRows ?? 0) } : {}),
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}

class PgliteDriver implements Driver {
  private releases = new Map<DatabaseConnection, () => void>();
  constructor(private readonly pgl: PGlite, private readonly gate: Gate) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.gate.acquire();
    const conn = new PgliteConnection(this.pgl);
    this.releases.set(conn, release);
    return conn;
  }
  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(c: DatabaseConnection) {
    this.releases.get(c)?.();
    this.releases.delete(c);
  }
  async destroy() {}
}

/** How many distinct statements are prepared per process; later ones run unprepared (bounds server memory). */
const MAX_PREPARED = 500;
const statementNames = new Map<string, string | null>();

/** The prepared-statement name for a query text, or null when it should run unprepared. */
function statementName(text: string): string | null {
  const known = statementNames.get(text);
  if (known !== undefined) return known;
  const name = statementNames.size < MAX_PREPARED ? `mvs_${statementNames.size + 1}` : null;
  statementNames.set(text, name);
  return name;
}

/**
 * A pg client that runs parameterised queries as named prepared statements: PostgreSQL parses and plans
 * each distinct query once per connection instead of on every call. Measured on the video list
 * (list + count): 1.1 ms of PostgreSQL CPU per request unprepared, 0.35 ms prepared. If a table changed
 * under a prepared plan (a migration by another process), the query is retried unprepared and that text
 * is never prepared again.
 */
class PreparingClient extends pg.Client {
  // pg's query() has many overloads; only (text, values) with values, as Kysely calls it, is rewritten.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const [text, values] = args as [unknown, unknown];
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      if (name) {
        return super.query({ name, text, values }).catch((e: unknown) => {
          if ((e as { code?: string }).code !== '0A000') throw e; // cached plan must not change result type
          statementNames.set(text, null);
          return super.query(text, values);
        });
      }
    }
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}

/**
 * Opens PGlite in `dataDir` ('memory://' for tests) or PostgreSQL at `url`. `prepare: false` turns prepared
 * statements off (PgBouncer in transaction mode before 1.21 cannot keep them).
 */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number; prepare?: boolean }): Promise<Database> {
  if (opts.url) {
    // connectionTimeoutMillis: an unreachable server fails a request in 5 s (503) instead of hanging it.
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      ...(opts.prepare === false ? {} : { Client: PreparingClient }),
    });
    pool.on('error', () => {}); // idle client errors surface on the next query instead of crashing
    // A server restart breaks pooled connections; the pool replaces them on the next query (no app restart).
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guardPool(pool) }) });
    return { db, kind: 'postgres', boss: { connectionString: opts.url }, close: () => db.destroy() };
  }
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const pgl = await PGlite.create(dir);
  const gate = new Gate();
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new PgliteDriver(pgl, gate),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const executeSql = (text: string, values?: unknown[]) =>
    gate.run(async () => {
      if (values && values.length) return pgl.query(text, values);
      // pg-boss sends multi-statement scripts without parameters; PGlite's query() takes one statement.
      const res = await pgl.exec(text);
      return res[res.length - 1] ?? { rows: [] };
    });
  return {
    db,
    kind: 'pglite',
    boss: { db: { executeSql } },
    close: async () => {
      await db.destroy();
      await gate.run(() => pgl.close());
    },
  };
}
