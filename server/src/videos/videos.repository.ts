import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { VideoStatus, VideosTable } from '../db/tables/core';
import type { DB } from '../db/types';
import { VIDEO_DTO_COLUMNS } from './videos.dto';

export type VideoRow = Selectable<VideosTable>;

export interface VideoListFilter {
  status?: VideoStatus;
  avatarId?: string;
  /** Only this owner's videos (role `user`); undefined = the whole tenant. */
  ownerId?: string;
  /** Title or script contains this text (case-insensitive). */
  text?: string;
}

type Patch = Omit<Updateable<VideosTable>, 'id' | 'tenant_id' | 'created_at'>;

/** Tenant-scoped video queries; every method takes the tenant id. Soft-deleted rows are invisible. */
export class VideosRepository {
  constructor(private readonly db: Kysely<DB>) {}

  insert(v: Insertable<VideosTable>, trx: Kysely<DB> = this.db) {
    return trx.insertInto('videos').values(v).returningAll().executeTakeFirstOrThrow();
  }

  /** The avatar a new video would use (tenant-filtered); read here so the service needs one repository. */
  findAvatar(tenantId: string, id: string) {
    return this.db.selectFrom('avatars').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  async recordingExists(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.selectFrom('recordings').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return !!r;
  }

  get(tenantId: string, id: string) {
    return this.db
      .selectFrom('videos')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  private filtered(tenantId: string, f: VideoListFilter) {
    // A campaign's videos are listed with their campaign (GET /api/v1/campaigns/{id}/recipients), not here.
    let q = this.db.selectFrom('videos').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('campaign_id', 'is', null);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.avatarId) q = q.where('avatar_id', '=', f.avatarId);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.text) {
      // LIKE wildcards in the user's words are matched literally.
      const like = `%${f.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      q = q.where((eb) => eb.or([eb('title', 'ilike', like), eb('script', 'ilike', like)]));
    }
    return q;
  }

  list(tenantId: string, f: VideoListFilter, page: number, pageSize: number) {
    return this.filtered(tenantId, f)
      .select(VIDEO_DTO_COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
  }

  async count(tenantId: string, f: VideoListFilter): Promise<number> {
    const r = await this.filtered(tenantId, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Updates a live row only while its status is one of `from` (compare-and-set), so two workers or a
   * worker and a cancel never both win. Returns the new row, or undefined when the guard did not hold.
   */
  transition(tenantId: string, id: string, from: VideoStatus[], patch: Patch, attempt?: number) {
    let q = this.db
      .updateTable('videos')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where('status', 'in', from);
    if (attempt !== undefined) q = q.where('attempts', '=', attempt);
    return q.returningAll().executeTakeFirst();
  }

  /** Starts an attempt: queued|rendering → rendering with attempts + 1. */
  startAttempt(tenantId: string, id: string) {
    return this.db
      .updateTable('videos')
      .set((eb) => ({
        status: 'rendering' as const,
        attempts: eb('attempts', '+', 1),
        progress: 0,
        stage: null,
        error: null,
        error_code: null,
        started_at: new Date(),
        updated_at: new Date(),
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where('status', 'in', ['queued', 'rendering'])
      .returningAll()
      .executeTakeFirst();
  }

  softDelete(tenantId: string, id: string) {
    return this.db
      .updateTable('videos')
      .set({ deleted_at: new Date(), updated_at: new Date(), status: sql<VideoStatus>`case when status in ('queued','rendering') then 'canceled' else status end` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** Status only (cheap poll for SSE and cancellation); includes soft-deleted rows as gone. */
  pollState(tenantId: string, id: string) {
    return this.db
      .selectFrom('videos')
      .select(['status', 'stage', 'progress', 'attempts', 'deleted_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
