import { AppError, notFound } from '../errors';
import type { Logger } from '../logger';
import type { Storage } from '../storage/storage';
import type { AvatarProviderIdsRepository } from './avatar-provider-ids.repository';
import type { ElevenLabsClient } from './elevenlabs.client';

const EXT: Record<string, string> = { 'audio/mpeg': 'mp3', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mp4': 'm4a', 'audio/ogg': 'ogg', 'audio/webm': 'webm' };

/** Instant voice cloning: sends the avatar's voice sample to POST /v1/voices/add and keeps the voice id on the avatar. */
export class ElevenLabsVoiceCloner {
  constructor(
    private readonly client: ElevenLabsClient,
    private readonly storage: Storage,
    private readonly avatars: AvatarProviderIdsRepository,
    private readonly log?: Logger,
  ) {}

  /**
   * The avatar's cloned voice id, cloning first when there is none or the sample changed since
   * (provider_ids.elevenlabs_voice_source remembers which sample the clone came from).
   */
  async voiceFor(tenantId: string, avatarId: string, signal?: AbortSignal): Promise<string> {
    const a = await this.avatars.getVoiceSource(tenantId, avatarId);
    if (!a) throw notFound('Avatar', avatarId);
    const ids = a.provider_ids;
    if (ids.elevenlabs_voice_id && ids.elevenlabs_voice_source === a.voice_key) return ids.elevenlabs_voice_id;
    return this.clone(tenantId, avatarId, signal);
  }

  /** Clones the avatar's current voice sample and stores avatars.provider_ids.elevenlabs_voice_id. */
  async clone(tenantId: string, avatarId: string, signal?: AbortSignal): Promise<string> {
    const a = await this.avatars.getVoiceSource(tenantId, avatarId);
    if (!a) throw notFound('Avatar', avatarId);
    if (!a.voice_key) throw new AppError(422, 'missing_file', `Avatar ${avatarId}: upload a voice sample before cloning the voice`);
    const sample = await this.storage.getBuffer(a.voice_key);
    const mime = a.voice_mime ?? 'audio/mpeg';
    const form = new FormData();
    form.set('name', `${a.name} · ${avatarId.slice(0, 8)}`);
    form.append('files', new Blob([new Uint8Array(sample)], { type: mime }), `sample.${EXT[mime] ?? 'bin'}`);
    form.set('remove_background_noise', 'false');
    form.set('description', 'Cloned by Mail Video Service from the avatar owner\'s consented voice sample');
    form.set('labels', JSON.stringify({ source: 'mail-video-service' }));
    const res = await this.client.request<{ voice_id?: string; requires_verification?: boolean }>('v1/voices/add', { method: 'POST', form }, signal);
    if (!res.voice_id) throw new AppError(502, 'provider_error', 'ElevenLabs did not return a voice id for the clone', { provider: 'elevenlabs' });
    await this.avatars.setProviderIds(tenantId, avatarId, { elevenlabs_voice_id: res.voice_id, elevenlabs_voice_source: a.voice_key });
    this.log?.info({ avatarId, voiceId: res.voice_id, requiresVerification: res.requires_verification ?? false }, 'cloned avatar voice');
    return res.voice_id;
  }
}
