import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshPostgres } from '../../test/harness';
import { openDatabase, type Database } from './database';

// Prepared statements exist only on PostgreSQL (PGlite runs in-process); these run when TEST_DATABASE_URL is set.
for (const backend of BACKENDS.filter((b) => b === 'postgres')) {
  describe(`prepared statements [${backend}]`, () => {
    let pgdb: Awaited<ReturnType<typeof freshPostgres>>;
    let database: Database;
    let unprepared: Database;
    beforeAll(async () => {
      pgdb = await freshPostgres();
      database = await openDatabase({ url: pgdb.url, poolSize: 1 });
      unprepared = await openDatabase({ url: pgdb.url, poolSize: 1, prepare: false });
      await sql`create table notes (id int primary key, body text not null)`.execute(database.db);
      await sql`insert into notes values (1, 'one'), (2, 'two')`.execute(database.db);
    });
    afterAll(async () => {
      await database.close();
      await unprepared.close();
      await pgdb.drop();
    });

    type Any = Record<string, unknown>;
    const byId = (d: Database, id: number) => sql<Any>`select * from notes where id = ${id}`.execute(d.db).then((r) => r.rows[0]);
    const preparedCount = async (d: Database) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like '%from notes where id%'`.execute(d.db)).rows[0]!.n);

    it('prepares a parameterised query once per connection and reuses it', async () => {
      expect(await byId(database, 1)).toEqual({ id: 1, body: 'one' });
      expect(await byId(database, 2)).toEqual({ id: 2, body: 'two' });
      expect(await preparedCount(database)).toBe(1);
    });

    it('survives a table changing under a prepared plan (retries unprepared)', async () => {
      await byId(database, 1);
      await sql`alter table notes add column tag text not null default 'x'`.execute(unprepared.db);
      expect(await byId(database, 1)).toEqual({ id: 1, body: 'one', tag: 'x' });
      expect(await byId(database, 2)).toEqual({ id: 2, body: 'two', tag: 'x' });
    });

    it('prepares nothing with prepare: false', async () => {
      expect(await byId(unprepared, 1)).toMatchObject({ id: 1 });
      expect(await preparedCount(unprepared)).toBe(0);
    });
  });
}
