import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { DB } from './types';

/** Every file in ./migrations, sorted by name. */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const { readdir } = await import('node:fs/promises');
    const dir = new URL('./migrations/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => /^\d{4}_.+\.ts$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) out[f.replace(/\.ts$/, '')] = (await import(new URL(f, dir).href)) as Migration;
    return out;
  }
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}

export function migrator(db: Kysely<DB>): Migrator {
  // Feature teams land numbered migrations in parallel; a database that already ran a later number must still
  // accept an earlier one that lands afterwards.
  return new Migrator({ db, provider: new FolderProvider(), allowUnorderedMigrations: true });
}

/** Brings the schema to the latest migration. */
export const migrateToLatest = async (db: Kysely<DB>) => check(await migrator(db).migrateToLatest());
/** Undoes the last migration. */
export const migrateDown = async (db: Kysely<DB>) => check(await migrator(db).migrateDown());
