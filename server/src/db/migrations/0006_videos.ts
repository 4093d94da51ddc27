import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Role `user` lists only their own videos, newest first.
  await sql`create index if not exists videos_owner_created_idx on videos (tenant_id, owner_id, created_at desc)`.execute(db);
  // Every worker looks for rows stuck in `rendering` (a dead worker's) every maintenance interval.
  await sql`create index if not exists videos_rendering_idx on videos (updated_at) where status = 'rendering' and deleted_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists videos_rendering_idx`.execute(db);
  await sql`drop index if exists videos_owner_created_idx`.execute(db);
}
