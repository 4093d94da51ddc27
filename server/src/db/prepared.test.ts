import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, freshPostgres } from '../../test/harness';
import { openDatabase, type Database } from './database';

// PostgreSQL runs parameterised queries as named prepared statements (PGlite runs in-process and does not).
// The same queries must give the same rows on both, including after a table changed under a prepared plan.
describeEachBackend('parameterised queries', (backend) => {
  let drop = async () => {};
  let database: Database;
  let other: Database;
  beforeAll(async () => {
    if (backend === 'postgres') {
      const pgdb = await freshPostgres();
      drop = pgdb.drop;
      database = await openDatabase({ url: pgdb.url, poolSize: 1 });
      other = await openDatabase({ url: pgdb.url, poolSize: 1, prepare: false });
    } else {
      database = await openDatabase({ dataDir: 'memory://' });
      other = database;
    }
    await sql`create table notes (id int primary key, body text not null)`.execute(database.db);
    await sql`insert into notes values (1, 'one'), (2, 'two')`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    if (other !== database) await other.close();
    await drop();
  });

  type Any = Record<string, unknown>;
  const byId = (d: Database, id: number) => sql<Any>`select * from notes where id = ${id}`.execute(d.db).then((r) => r.rows[0]);
  const preparedCount = async (d: Database) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%from notes where id%'`.execute(d.db)).rows[0]!.n);

  it('answers repeated queries and survives a table changing under a prepared plan', async () => {
    expect(await byId(database, 1)).toEqual({ id: 1, body: 'one' });
    expect(await byId(database, 2)).toEqual({ id: 2, body: 'two' });
    await sql`alter table notes add column tag text not null default 'x'`.execute(other.db);
    expect(await byId(database, 1)).toEqual({ id: 1, body: 'one', tag: 'x' });
    expect(await byId(database, 2)).toEqual({ id: 2, body: 'two', tag: 'x' });
  });

  if (backend === 'postgres') {
    it('prepares a parameterised query once per connection, and nothing with prepare: false', async () => {
      await byId(database, 1);
      expect(await preparedCount(database)).toBe(1);
      expect(await byId(other, 1)).toMatchObject({ id: 1 });
      expect(await preparedCount(other)).toBe(0);
    });
  }
});
