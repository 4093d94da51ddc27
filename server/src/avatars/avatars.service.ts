import type { VoiceSettings } from '@mvs/shared/schemas/avatars';
import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import { assertRole } from '../auth/auth.middleware';
import { AppError, forbidden, notFound } from '../errors';
import type { DB } from '../db/types';
import type { Principal } from '../http/env';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { newKey, type Storage } from '../storage/storage';
import { normalizePhoto } from './avatar-photo';
import { checkVoice } from './avatar-voice';
import { preparedKeys } from './avatars.dto';
import type { AvatarPatch, AvatarRow, AvatarsRepository } from './avatars.repository';

export interface AvatarInput {
  name: string;
  language: string;
  voice_settings?: VoiceSettings;
}

/**
 * Avatar rules: everyone in the tenant may read; users manage their own avatars, admins all of the
 * tenant's; viewers only read. Uploads are checked by content before anything is stored.
 */
export class AvatarsService {
  constructor(
    private readonly repo: AvatarsRepository,
    private readonly storage: Storage,
    private readonly queue: JobQueue,
    private readonly audit: AuditRepository,
    private readonly ffprobe: string,
    private readonly log: Logger,
  ) {}

  async list(p: Principal, page: number, pageSize: number) {
    const [items, total] = await Promise.all([this.repo.list(p.tenantId, page, pageSize), this.repo.count(p.tenantId)]);
    return { items, total, page, page_size: pageSize };
  }

  async get(p: Principal, id: string): Promise<AvatarRow> {
    const a = await this.repo.get(p.tenantId, id);
    if (!a) throw notFound('Avatar', id);
    return a;
  }

  async create(p: Principal, input: AvatarInput): Promise<AvatarRow> {
    assertRole(p.role, 'user');
    const a = await this.repo.insert({
      tenant_id: p.tenantId,
      owner_id: p.userId,
      name: input.name,
      language: input.language,
      voice_settings: JSON.stringify(input.voice_settings ?? {}),
    });
    await this.record(p, 'avatar.created', a.id);
    return a;
  }

  async update(p: Principal, id: string, patch: Partial<AvatarInput>): Promise<AvatarRow> {
    await this.manageable(p, id);
    const { voice_settings, ...rest } = patch;
    const saved = await this.save(p, id, { ...rest, ...(voice_settings ? { voice_settings: JSON.stringify(voice_settings) } : {}) });
    await this.record(p, 'avatar.updated', id, { fields: Object.keys(patch) });
    return saved;
  }

  async remove(p: Principal, id: string): Promise<void> {
    const a = await this.manageable(p, id);
    const videos = await this.repo.countVideos(p.tenantId, id);
    if (videos > 0) {
      throw new AppError(409, 'conflict', `Avatar ${id} is used by ${videos} video(s); delete those videos first`);
    }
    if (!(await this.repo.delete(p.tenantId, id))) throw notFound('Avatar', id);
    await this.dropObjects([a.photo_key, a.voice_key, ...preparedKeys(a.prepared, p.tenantId)]);
    await this.record(p, 'avatar.deleted', id);
  }

  /** Stores an upright, metadata-free copy of the photo and queues preparation. */
  async uploadPhoto(p: Principal, id: string, bytes: Buffer | undefined): Promise<AvatarRow> {
    const before = await this.manageable(p, id);
    if (!bytes) throw new AppError(422, 'missing_file', 'Send the photo as multipart/form-data in the field "photo"');
    const photo = await normalizePhoto(bytes, `Avatar ${id}`);
    const key = newKey(p.tenantId, 'avatars', photo.ext);
    await this.storage.put(key, photo.buffer, photo.mime);
    // The new photo, its preparation job and the audit record commit together: a database that goes away between
    // them can no longer leave the avatar 'processing' with no job to finish it (the old photo stays in place).
    const after = await this.queue
      .transaction(async (tx) => {
        const a = await this.save(
          p,
          id,
          { photo_key: key, photo_width: photo.width, photo_height: photo.height, photo_mime: photo.mime, prepared: null, prepared_at: null, status: 'processing', error: null, error_code: null },
          tx.db,
        );
        await tx.send('prepare-avatar', { avatarId: id, tenantId: p.tenantId });
        await this.record(p, 'avatar.photo_uploaded', id, { width: photo.width, height: photo.height, bytes: photo.buffer.length }, tx.db);
        return a;
      })
      .catch(async (err: unknown) => {
        await this.dropObjects([key]); // the avatar still points at its old photo
        throw err;
      });
    await this.dropObjects([before.photo_key, ...preparedKeys(before.prepared, p.tenantId)]);
    return after;
  }

  /** Stores a voice sample after checking its type and measuring its duration. */
  async uploadVoice(p: Principal, id: string, bytes: Buffer | undefined): Promise<AvatarRow> {
    const before = await this.manageable(p, id);
    if (!bytes) throw new AppError(422, 'missing_file', 'Send the recording as multipart/form-data in the field "voice"');
    const voice = await checkVoice(bytes, `Avatar ${id}`, this.ffprobe);
    const key = newKey(p.tenantId, 'voices', voice.ext);
    await this.storage.put(key, bytes, voice.mime);
    const after = await this.repo.update(p.tenantId, id, { voice_key: key, voice_mime: voice.mime, voice_duration_sec: voice.durationSec });
    if (!after) {
      await this.dropObjects([key]);
      throw notFound('Avatar', id);
    }
    await this.dropObjects([before.voice_key]);
    await this.record(p, 'avatar.voice_uploaded', id, { duration_sec: voice.durationSec });
    return after;
  }

  /** Records the likeness consent: who confirmed which statement, and when. */
  async consent(p: Principal, id: string, statement: string): Promise<AvatarRow> {
    await this.manageable(p, id);
    const consent = { by: p.userId, at: new Date().toISOString(), statement };
    const a = await this.save(p, id, { consent: JSON.stringify(consent) });
    await this.record(p, 'avatar.consent_given', id, { statement });
    return a;
  }

  /** Checks the avatar can be rendered and (re)queues its preparation. */
  async generate(p: Principal, id: string): Promise<AvatarRow> {
    const a = await this.manageable(p, id);
    if (!a.photo_key) throw new AppError(422, 'no_photo', `Avatar ${id} has no photo; upload one to /upload-photo first`);
    if (!a.consent) {
      throw new AppError(422, 'consent_required', `Avatar ${id} needs a likeness consent; POST it to /api/v1/avatars/${id}/consent`);
    }
    // The status, the job and the audit record commit together (see uploadPhoto).
    return this.queue.transaction(async (tx) => {
      const after = await this.save(p, id, { status: 'processing', error: null, error_code: null }, tx.db);
      await tx.send('prepare-avatar', { avatarId: id, tenantId: p.tenantId });
      await this.record(p, 'avatar.generate', id, undefined, tx.db);
      return after;
    });
  }

  /** The stored photo's key, for serving it to a signed-in reader. */
  async photoKey(p: Principal, id: string): Promise<string> {
    const a = await this.get(p, id);
    if (!a.photo_key) throw new AppError(404, 'no_photo', `Avatar ${id} has no photo yet`);
    return a.photo_key;
  }

  private async manageable(p: Principal, id: string): Promise<AvatarRow> {
    assertRole(p.role, 'user');
    const a = await this.get(p, id);
    if (p.role !== 'admin' && a.owner_id !== p.userId) throw forbidden(`Avatar ${id} belongs to another user; only they or an admin may change it`);
    return a;
  }

  private async save(p: Principal, id: string, patch: AvatarPatch, trx?: Kysely<DB>): Promise<AvatarRow> {
    const a = await this.repo.update(p.tenantId, id, patch, trx);
    if (!a) throw notFound('Avatar', id);
    return a;
  }

  private async dropObjects(keys: (string | null)[]): Promise<void> {
    for (const key of keys) {
      if (!key) continue;
      // A leftover object costs storage only; never fail the user's request over it.
      await this.storage.delete(key).catch((err: unknown) => this.log.warn({ err, key }, 'could not delete stored object'));
    }
  }

  private record(p: Principal, action: string, id: string, details?: Record<string, unknown>, trx?: Kysely<DB>) {
    return this.audit.record({ tenantId: p.tenantId, userId: p.userId, action, targetType: 'avatar', targetId: id, details, ipHash: p.ipHash }, trx);
  }
}
