import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import type { DB } from '../db/types';
import type { Logger } from '../logger';
import { resolveBinaries } from '../media/binaries';
import type { Storage } from '../storage/storage';
import { AudioTools } from './audio.ffmpeg';
import { AvatarProviderIdsRepository } from './avatar-provider-ids.repository';
import { ElevenLabsVoiceCloner } from './elevenlabs.clone';
import { RecordingsRepository } from './recordings/recordings.repository';
import { RecordingsService } from './recordings/recordings.service';
import { PronunciationsRepository } from '../contacts/pronunciations.repository';
import { SpeechService, type TenantKeySource } from './speech.service';
import { elevenLabsClient, type TtsDeps } from './tts-registry';

export interface Providers {
  recordings: RecordingsService;
  /** resolveSpeech(): a video's audio from its recording or TTS, as mono WAV. */
  speech: SpeechService;
  /** null when ELEVENLABS_API_KEY is not set. */
  voiceCloner: ElevenLabsVoiceCloner | null;
}

/** Wires TTS engines, voice cloning and recordings (keeps container.ts small). */
export function createProviders(
  db: Kysely<DB>,
  storage: Storage,
  audit: AuditRepository,
  config: Config,
  logger: Logger,
  /** Per-workspace provider keys (settings/provider-keys); OpenAI TTS uses a workspace's own key when stored. */
  tenantKeys?: TenantKeySource,
): Providers {
  const bins = resolveBinaries(config);
  const audio = new AudioTools({ ffmpeg: bins.ffmpeg ?? 'ffmpeg', ffprobe: bins.ffprobe ?? 'ffprobe' });
  const log = logger.child({ module: 'providers' });
  const deps: TtsDeps = { config, audio, espeak: bins.espeak, log };
  const client = elevenLabsClient(deps);
  const voiceCloner = client ? new ElevenLabsVoiceCloner(client, storage, new AvatarProviderIdsRepository(db), log) : null;
  const recordingsRepo = new RecordingsRepository(db);
  return {
    recordings: new RecordingsService(recordingsRepo, storage, audio, audit),
    speech: new SpeechService({ ...deps, recordings: recordingsRepo, storage, cloner: voiceCloner, lexicon: new PronunciationsRepository(db), tenantKeys }),
    voiceCloner,
  };
}
