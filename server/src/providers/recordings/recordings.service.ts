import { assertRole } from '../../auth/auth.middleware';
import type { AuditRepository } from '../../audit/audit.repository';
import { forbidden, notFound } from '../../errors';
import type { Principal } from '../../http/env';
import { newKey, type Storage } from '../../storage/storage';
import type { AudioTools } from '../audio.ffmpeg';
import { checkRecording } from './recording-check';
import type { RecordingRow, RecordingsRepository } from './recordings.repository';

/** Recorded audio that a video can use instead of TTS: upload (checked by content, measured), read, delete. */
export class RecordingsService {
  constructor(
    private readonly repo: RecordingsRepository,
    private readonly storage: Storage,
    private readonly audio: AudioTools,
    private readonly audit: AuditRepository,
  ) {}

  async upload(p: Principal, bytes: Buffer | undefined): Promise<RecordingRow> {
    assertRole(p.role, 'user');
    const checked = await checkRecording(bytes, this.audio);
    const key = newKey(p.tenantId, 'recordings', checked.ext);
    await this.storage.put(key, bytes!, checked.mime);
    const row = await this.repo.insert({
      tenant_id: p.tenantId,
      owner_id: p.userId,
      audio_key: key,
      mime: checked.mime,
      bytes: bytes!.length,
      duration_sec: checked.durationSec,
    });
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'recording.uploaded', targetType: 'recording', targetId: row.id, details: { duration_sec: checked.durationSec }, ipHash: p.ipHash });
    return row;
  }

  /** A recording of the caller's tenant; 404 for other tenants' ids. */
  async get(tenantId: string, id: string): Promise<RecordingRow> {
    const r = await this.repo.get(tenantId, id);
    if (!r) throw notFound('Recording', id);
    return r;
  }

  async remove(p: Principal, id: string): Promise<void> {
    const r = await this.get(p.tenantId, id);
    if (p.role !== 'admin' && r.owner_id !== p.userId) throw forbidden(`Recording ${id} belongs to another user; only they or an admin may delete it`);
    await this.repo.delete(p.tenantId, id);
    await this.storage.delete(r.audio_key).catch(() => {});
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'recording.deleted', targetType: 'recording', targetId: id, ipHash: p.ipHash });
  }
}
