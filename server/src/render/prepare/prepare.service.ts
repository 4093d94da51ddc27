import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Container } from '../../container';
import type { AvatarsTable } from '../../db/tables/core';
import { AppError, notFound } from '../../errors';
import type { Logger } from '../../logger';
import { newKey, type Storage } from '../../storage/storage';
import type { PreparedAvatar } from '../prepared';
import type { VideoFormat } from '../renderer';
import { analyzePhoto, buildFormatSprites, MIN_FACE_WIDTH_PX, type FaceAnalysis } from './prepare-photo';
import { PrepareRepository } from './prepare.repository';
import { fromTuples, parsePreparedRecord, toTuples, type PreparedFormatRecord, type PreparedRecord } from './prepared-record';

export interface PrepareOutcome {
  record: PreparedRecord;
  /** Sprite sets made in this call (formats that were already cached are not rebuilt). */
  built: Partial<Record<VideoFormat, PreparedAvatar>>;
  timings: Record<string, number>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const recordKeys = (f: PreparedFormatRecord) => [...f.keys.mouth, f.keys.closed, f.keys.rounded, ...f.keys.blink];

/** Avatar preparation: face detection + sprite sets, cached in storage and avatars.prepared per photo and format. */
/** Sprite sets kept in memory per worker (a few avatars; each set is ≈ 15–25 MB of JPEGs). */
const LOADED_CACHE_SIZE = 4;

export class AvatarPrepareService {
  /**
   * Sprite sets already read from storage, by workspace, avatar, photo, format and the stored record: a campaign's
   * thousand renders of one avatar read its photo and ≈ 25 sprites once instead of once per contact (≈ 20 MB of
   * reads, a SHA-256 and as much garbage each), and later caches keyed on the object (head rig, sprite files) hit.
   */
  private readonly loaded = new Map<string, Promise<PreparedAvatar>>();

  constructor(
    private readonly repo: PrepareRepository,
    private readonly storage: Storage,
    private readonly log: Logger,
    private readonly minFaceWidthPx = MIN_FACE_WIDTH_PX,
  ) {}

  /**
   * Makes sure the avatar's current photo is prepared for `formats` and marks the avatar ready. Re-uses the
   * cached face and formats while the photo is unchanged. Throws AppError 422 for a photo it refuses.
   */
  async prepare(tenantId: string, avatarId: string, formats: VideoFormat[] = ['portrait']): Promise<PrepareOutcome> {
    const t0 = performance.now();
    const avatar = await this.repo.get(tenantId, avatarId);
    if (!avatar) throw notFound('Avatar', avatarId);
    if (!avatar.photo_key) throw new AppError(409, 'no_photo', `Avatar ${avatarId}: upload a photo first`);
    const photo = await this.storage.getBuffer(avatar.photo_key);
    const hash = sha256(photo);
    const cached = parsePreparedRecord(avatar.prepared);
    const reuse = cached && cached.photo_sha256 === hash && cached.photo_key === avatar.photo_key ? cached : null;
    const timings: Record<string, number> = {};
    let face: FaceAnalysis;
    if (reuse) {
      face = { ...reuse.face, landmarks: fromTuples(reuse.face.landmarks), faceWidthPx: reuse.face.face_width_px, timings: { modelLoadMs: 0, decodeMs: 0, detectMs: 0 } };
    } else {
      face = await analyzePhoto(photo, this.minFaceWidthPx);
      Object.assign(timings, face.timings);
    }
    const record: PreparedRecord = reuse ?? {
      version: 2,
      photo_key: avatar.photo_key,
      photo_sha256: hash,
      face: { width: face.width, height: face.height, landmarks: toTuples(face.landmarks), face_width_px: face.faceWidthPx, detector: face.detector, score: face.score },
      formats: {},
    };
    const built: Partial<Record<VideoFormat, PreparedAvatar>> = {};
    const written: string[] = [];
    try {
      for (const format of formats) {
        if (record.formats[format]) continue;
        const s = await buildFormatSprites(photo, face, format);
        for (const [k, v] of Object.entries(s.timings)) timings[`${format}.${k}`] = v;
        const t = performance.now();
        const put = async (buf: Buffer) => {
          const key = newKey(tenantId, `avatars/${avatarId}`, 'jpg');
          written.push(key);
          await this.storage.put(key, buf, 'image/jpeg');
          return key;
        };
        const p = s.prepared;
        const keys = {
          mouth: await Promise.all(p.mouth.map(put)),
          closed: await put(p.closed),
          rounded: await put(p.rounded),
          blink: await Promise.all(p.blink.map(put)),
        };
        timings[`${format}.storeMs`] = performance.now() - t;
        record.formats[format] = {
          width: p.width,
          height: p.height,
          crop: s.crop,
          landmarks: toTuples(p.landmarks),
          mouth_box: p.mouthBox,
          eyes_box: s.eyesBox,
          openings: s.openings.map((o) => Math.round(o * 10) / 10),
          keys,
        };
        built[format] = p;
      }
      timings.totalMs = performance.now() - t0;
      record.timings_ms = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));
      if (!(await this.repo.savePrepared(tenantId, avatarId, record, true))) {
        throw new AppError(409, 'conflict', `Avatar ${avatarId}: the photo changed while it was being prepared`);
      }
    } catch (err) {
      await Promise.all(written.map((k) => this.storage.delete(k).catch(() => {})));
      throw err;
    }
    if (cached && !reuse) await this.deleteSprites(cached);
    this.log.info({ avatarId, formats, built: Object.keys(built), timings: record.timings_ms }, 'avatar prepared');
    return { record, built, timings };
  }

  /** The sprite set for one format, from storage; prepares it first when missing or made from another photo. */
  async load(avatar: Pick<Selectable<AvatarsTable>, 'id' | 'tenant_id' | 'photo_key' | 'prepared'>, format: VideoFormat): Promise<PreparedAvatar> {
    const record = parsePreparedRecord(avatar.prepared);
    const f = record && record.photo_key === avatar.photo_key ? record.formats[format] : undefined;
    const key = record && f && avatar.photo_key ? JSON.stringify([avatar.tenant_id, avatar.id, avatar.photo_key, format, record.photo_sha256, f]) : null;
    const hit = key ? this.loaded.get(key) : undefined;
    if (hit) {
      const p = await hit.catch(() => null);
      if (p) return p;
    }
    if (record && f && avatar.photo_key) {
      const photo = await this.storage.getBuffer(avatar.photo_key);
      if (sha256(photo) === record.photo_sha256) {
        const loaded = await this.fetchSprites(f).catch((err: unknown) => {
          this.log.warn({ err, avatarId: avatar.id }, 'cached sprites unreadable; preparing again');
          return null;
        });
        if (loaded) {
          this.loaded.delete(key!);
          this.loaded.set(key!, Promise.resolve(loaded));
          while (this.loaded.size > LOADED_CACHE_SIZE) this.loaded.delete(this.loaded.keys().next().value!);
          return loaded;
        }
        // Sprites are gone from storage: forget the record so prepare() rebuilds every format asked for.
        await this.repo.savePrepared(avatar.tenant_id, avatar.id, { ...record, formats: {} }, false);
      }
    }
    const out = await this.prepare(avatar.tenant_id, avatar.id, [format]);
    const p = out.built[format];
    if (p) return p;
    const again = out.record.formats[format];
    if (!again) throw new Error(`Avatar ${avatar.id}: format ${format} missing after preparation`);
    return this.fetchSprites(again);
  }

  private async fetchSprites(f: PreparedFormatRecord): Promise<PreparedAvatar> {
    const get = (k: string) => this.storage.getBuffer(k);
    const [mouth, blink, closed, rounded] = await Promise.all([Promise.all(f.keys.mouth.map(get)), Promise.all(f.keys.blink.map(get)), get(f.keys.closed), get(f.keys.rounded)]);
    return { width: f.width, height: f.height, landmarks: fromTuples(f.landmarks), mouthBox: f.mouth_box, mouth, closed, rounded, blink };
  }

  private async deleteSprites(record: PreparedRecord): Promise<void> {
    const keys = Object.values(record.formats).flatMap((f) => (f ? recordKeys(f) : []));
    await Promise.all(keys.map((k) => this.storage.delete(k).catch(() => {})));
  }
}

const services = new WeakMap<Container, AvatarPrepareService>();

/** The preparation service of a container (built on first use; not yet wired into container.ts). */
export function prepareServiceFor(c: Container): AvatarPrepareService {
  let s = services.get(c);
  if (!s) {
    s = new AvatarPrepareService(new PrepareRepository(c.db), c.storage, c.logger.child({ module: 'prepare' }));
    services.set(c, s);
  }
  return s;
}

/** The cached PreparedAvatar of `avatar` for `format`, re-preparing when the photo changed or the format is missing. */
export function loadPreparedAvatar(
  c: Container,
  avatar: Pick<Selectable<AvatarsTable>, 'id' | 'tenant_id' | 'photo_key' | 'prepared'>,
  format: VideoFormat,
): Promise<PreparedAvatar> {
  return prepareServiceFor(c).load(avatar, format);
}
