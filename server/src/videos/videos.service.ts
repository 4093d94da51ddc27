import { randomBytes } from 'node:crypto';
import { SCRIPT_MAX_CHARS, type CreateVideoRequest, type VideoStatus } from '@mvs/shared/schemas/videos';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import { AppError, forbidden, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { Storage } from '../storage/storage';
import { assertAvatarCanRender } from './avatar-check';
import { detectLanguage } from './language';
import { pickRenderer, renderJobOptions } from './renderer-choice';
import type { VideoListFilter, VideoRow, VideosRepository } from './videos.repository';

/** Called once when a video reaches completed or failed (webhooks, notifications hook in here). */
export type VideoFinishedListener = (video: VideoRow) => Promise<void> | void;

export type VideoFile = 'video' | 'poster' | 'gif';

/**
 * Video rules: creation checks (script limits, avatar readiness, language, renderer), visibility
 * (admins and viewers see the tenant's videos, users their own), cancel and delete.
 */
export class VideosService {
  private readonly finishedListeners: VideoFinishedListener[] = [];
  private readonly removedListeners: ((videoId: string) => void)[] = [];

  constructor(
    private readonly repo: VideosRepository,
    private readonly queue: JobQueue,
    private readonly storage: Storage,
    private readonly audit: AuditRepository,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** Register a listener for finished videos; others (webhooks) extend the flow here. */
  onVideoFinished(listener: VideoFinishedListener): void {
    this.finishedListeners.push(listener);
  }

  /** Register a listener for deleted videos (the watch page's cache forgets them at once). */
  onVideoRemoved(listener: (videoId: string) => void): void {
    this.removedListeners.push(listener);
  }

  /** Runs every finished-listener; a failing listener is logged and never fails the render. */
  async videoFinished(video: VideoRow): Promise<void> {
    for (const l of this.finishedListeners) {
      try {
        await l(video);
      } catch (err) {
        this.log.error({ err, videoId: video.id }, 'video finished listener failed');
      }
    }
  }

  async create(p: Principal, input: CreateVideoRequest): Promise<VideoRow> {
    if (p.role === 'viewer') throw forbidden('Viewers may not create videos; ask an admin for the user role');
    const script = input.script.trim();
    if (!script) throw new AppError(422, 'script_empty', 'script: write what the avatar should say');
    if (script.length > SCRIPT_MAX_CHARS) {
      throw new AppError(422, 'script_too_long', `script: ${script.length} characters; shorten it to at most ${SCRIPT_MAX_CHARS}`, {
        length: script.length,
        max: SCRIPT_MAX_CHARS,
      });
    }
    const avatar = await this.repo.findAvatar(p.tenantId, input.avatar_id);
    if (!avatar) throw notFound('Avatar', input.avatar_id);
    assertAvatarCanRender(avatar);
    if (input.recording_id && !(await this.repo.recordingExists(p.tenantId, input.recording_id))) throw notFound('Recording', input.recording_id);
    const renderer = pickRenderer(avatar, input.renderer, this.config);
    // The row, its render job and its audit record in one transaction: a database that goes away between them can
    // no longer leave a queued video without a render job, or a video nobody is recorded as creating (503, nothing written).
    return this.queue.transaction(async (tx) => {
      const inserted = await this.repo.insert({
        tenant_id: p.tenantId,
        owner_id: p.userId,
        avatar_id: avatar.id,
        title: input.title ?? null,
        script,
        language: input.language ?? detectLanguage(script),
        renderer,
        format: input.format ?? 'portrait',
        options: JSON.stringify({
          ...(input.tts ? { tts: input.tts } : {}),
          ...(input.recipient_name ? { recipient_name: input.recipient_name } : {}),
          ...(input.recording_id ? { recording_id: input.recording_id } : {}),
          ...(input.head_motion === false ? { head_motion: false } : {}),
        }),
        slug: randomBytes(16).toString('base64url'),
        cta_label: input.cta_label ?? null,
        cta_url: input.cta_url ?? null,
      }, tx.db);
      await tx.send('render-video', { videoId: inserted.id, tenantId: p.tenantId }, renderJobOptions(renderer, this.config));
      await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'video.created', targetType: 'video', targetId: inserted.id, ipHash: p.ipHash }, tx.db);
      return inserted;
    });
  }

  private visibility(p: Principal): Pick<VideoListFilter, 'ownerId'> {
    return p.role === 'user' ? { ownerId: p.userId } : {};
  }

  async list(p: Principal, q: { page: number; page_size: number; status?: VideoStatus; avatar_id?: string; q?: string }) {
    const f: VideoListFilter = { ...this.visibility(p), status: q.status, avatarId: q.avatar_id, ...(q.q ? { text: q.q } : {}) };
    const [items, total] = await Promise.all([this.repo.list(p.tenantId, f, q.page, q.page_size), this.repo.count(p.tenantId, f)]);
    return { items, total, page: q.page, page_size: q.page_size };
  }

  /** One video the principal may see; 404 for other tenants' ids and (for users) other users' videos. */
  async get(p: Principal, id: string): Promise<VideoRow> {
    const v = await this.repo.get(p.tenantId, id);
    if (!v || (p.role === 'user' && v.owner_id !== p.userId)) throw notFound('Video', id);
    return v;
  }

  private async getForChange(p: Principal, id: string, verb: string): Promise<VideoRow> {
    const v = await this.get(p, id);
    if (p.role === 'viewer') throw forbidden(`Viewers may not ${verb} videos`);
    return v;
  }

  /** queued|rendering → canceled; a running job notices through the row and stops. */
  async cancel(p: Principal, id: string): Promise<VideoRow> {
    const v = await this.getForChange(p, id, 'cancel');
    if (v.status === 'canceled') return v;
    const row = await this.repo.transition(p.tenantId, id, ['queued', 'rendering'], {
      status: 'canceled',
      stage: null,
      error: 'Canceled by the user',
      error_code: null,
    });
    if (!row) throw new AppError(409, 'invalid_state', `Video ${id} is already ${v.status}; only queued or rendering videos can be canceled`);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'video.canceled', targetType: 'video', targetId: id, ipHash: p.ipHash });
    return row;
  }

  /** Soft-deletes the row (listing hides it) and removes its stored files. */
  async remove(p: Principal, id: string): Promise<void> {
    await this.getForChange(p, id, 'delete');
    const row = await this.repo.softDelete(p.tenantId, id);
    if (!row) throw notFound('Video', id);
    for (const l of this.removedListeners) l(id);
    await this.deleteObjects(row);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'video.deleted', targetType: 'video', targetId: id, ipHash: p.ipHash });
  }

  async deleteObjects(row: Pick<VideoRow, 'video_key' | 'poster_key' | 'gif_key'>): Promise<void> {
    for (const key of [row.video_key, row.poster_key, row.gif_key]) {
      if (key) await this.storage.delete(key).catch((err: unknown) => this.log.warn({ err, key }, 'could not delete object'));
    }
  }

  /** The storage key of one of a completed video's files; 404 video_not_ready until it exists. */
  async fileKey(p: Principal, id: string, file: VideoFile): Promise<string> {
    const v = await this.get(p, id);
    const key = file === 'video' ? v.video_key : file === 'poster' ? v.poster_key : v.gif_key;
    if (!key) throw new AppError(404, 'video_not_ready', `Video ${id} has no ${file} yet (status ${v.status})`);
    return key;
  }
}
