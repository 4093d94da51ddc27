import type { Kysely } from 'kysely';
import type { DB } from '../db/types';

/**
 * Public slug resolution for the watch page. These are the only queries not filtered by a caller's tenant:
 * the unguessable slug IS the credential, and the tenant comes from the row it finds.
 */
export class WatchRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private videoQuery() {
    return this.db
      .selectFrom('videos as v')
      .innerJoin('users as u', 'u.id', 'v.owner_id')
      .innerJoin('tenants as t', 't.id', 'v.tenant_id')
      .leftJoin('avatars as a', 'a.id', 'v.avatar_id')
      .select([
        'v.id', 'v.tenant_id', 'v.owner_id', 'v.title', 'v.script', 'v.language', 'v.status', 'v.progress', 'v.video_key',
        'v.poster_key', 'v.gif_key', 'v.width', 'v.height', 'v.duration_sec', 'v.slug', 'v.cta_label', 'v.cta_url',
        'v.created_at', 'v.completed_at', 'v.deleted_at', 'u.full_name as sender_name', 'u.email as sender_email',
        't.settings as tenant_settings', 't.name as tenant_name', 'a.photo_key as avatar_photo_key',
      ]);
  }

  videoBySlug(slug: string) {
    return this.videoQuery().where('v.slug', '=', slug).executeTakeFirst();
  }

  videoById(id: string) {
    return this.videoQuery().where('v.id', '=', id).executeTakeFirst();
  }

  recipientBySlug(slug: string) {
    return this.db
      .selectFrom('video_recipients')
      .select(['id', 'tenant_id', 'video_id', 'email', 'name', 'delivered_at'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }
}

export type WatchVideoRow = NonNullable<Awaited<ReturnType<WatchRepository['videoBySlug']>>>;
export type WatchRecipientRow = NonNullable<Awaited<ReturnType<WatchRepository['recipientBySlug']>>>;
