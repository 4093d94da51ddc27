import fs from 'node:fs/promises';
import path from 'node:path';
import type { VoiceSettings } from '../db/tables/core';
import { AppError, notFound } from '../errors';
import type { Logger } from '../logger';
import type { TtsEngine, TtsResult } from '../media/tts';
import type { Storage } from '../storage/storage';
import type { AudioTools } from './audio.ffmpeg';
import type { ElevenLabsVoiceCloner } from './elevenlabs.clone';
import type { RecordingsRepository } from './recordings/recordings.repository';
import { entriesOf, Pronouncer, type PronunciationEntry, type SpokenText } from './pronunciation';
import { createTtsEngine, ttsFor, type TtsDeps, type TtsEngineName } from './tts-registry';
import { encodeWav, pcmDurationSec } from './wav';

/** Sample rate of recordings after conversion (matches the cloud engines' output). */
export const RECORDING_WAV_RATE = 24_000;

export interface SpeechRequest {
  tenantId: string;
  video: {
    script: string;
    language: string;
    options: { tts?: { engine?: TtsEngineName; voice?: string }; recording_id?: string; pronunciations?: Record<string, string> };
  };
  avatar: { id: string; voice_settings: VoiceSettings; voice_key: string | null; provider_ids: Record<string, string> };
  workDir: string;
  signal?: AbortSignal;
}

/** The tenant's pronunciation lexicon for a voice language (entries for every language included). */
export interface LexiconSource {
  list(tenantId: string, language?: 'en' | 'vi'): Promise<(PronunciationEntry & { language: string | null })[]>;
}

/** The speech of a video and where it came from; lips follow `marks` when present, else the audio envelope. */
export type ResolvedSpeech = TtsResult & { source: 'recording' } | TtsResult & { source: 'tts'; engine: TtsEngineName };

/**
 * The one function renderers call for a video's audio: the uploaded recording when the video has a
 * `recording_id`, else TTS with the engine chosen by ttsFor. Always a mono 16-bit WAV in `workDir`.
 */
/** A workspace's own provider credential, if it stored one (settings/provider-keys.service.ts). */
export interface TenantKeySource {
  resolve(tenantId: string, provider: 'openai'): Promise<{ apiKey: string; baseUrl: string | null } | null>;
}

export class SpeechService {
  private readonly engines = new Map<TtsEngineName, TtsEngine>();
  /** OpenAI TTS engines built with a workspace's own key, kept while the key is unchanged. */
  private readonly tenantEngines = new Map<string, { key: string; engine: TtsEngine }>();

  constructor(
    private readonly deps: TtsDeps & {
      recordings: RecordingsRepository;
      storage: Storage;
      audio: AudioTools;
      /** Present when ElevenLabs is configured: clones an avatar's voice sample on first use. */
      cloner: ElevenLabsVoiceCloner | null;
      /** The tenant's pronunciation lexicon; absent: only a video's own `pronunciations` apply. */
      lexicon?: LexiconSource;
      /** Workspace provider keys; absent or none stored: the server's OPENAI_* key. */
      tenantKeys?: TenantKeySource;
      log?: Logger;
    },
  ) {}

  async resolveSpeech(req: SpeechRequest): Promise<ResolvedSpeech> {
    const recordingId = req.video.options.recording_id;
    if (recordingId) return { ...(await this.fromRecording(req.tenantId, recordingId, req.workDir, req.signal)), source: 'recording' };
    const choice = ttsFor(req.avatar, req.video.options, this.deps.config.TTS_ENGINE);
    const engine = (await this.tenantEngine(req.tenantId, choice.engine)) ?? this.engine(choice.engine);
    let voice = choice.voice;
    if (!voice && choice.engine === 'elevenlabs' && req.avatar.voice_key && this.deps.cloner) {
      voice = await this.deps.cloner.voiceFor(req.tenantId, req.avatar.id, req.signal);
    }
    const spoken = await this.spokenText(req.tenantId, req.video.script, req.video.language, req.video.options.pronunciations);
    const result = await engine.synthesize(spoken.text, { language: req.video.language, voice, rate: choice.rate, pitch: choice.pitch }, req.workDir, req.signal);
    return { ...result, source: 'tts', engine: choice.engine };
  }

  /**
   * The text a TTS engine speaks for `text`: the tenant's lexicon, then the video's own `pronunciations`
   * (which win), applied as whole words. Every engine gets it; the transcript keeps `text`. Anything that
   * caches TTS audio must key it on this text, not the script.
   */
  async spokenText(tenantId: string, text: string, language: string, pronunciations?: Record<string, string>): Promise<SpokenText> {
    const lang = language === 'en' || language === 'vi' ? language : undefined;
    const lexicon = this.deps.lexicon ? await this.deps.lexicon.list(tenantId, lang) : [];
    const own = entriesOf(pronunciations);
    if (lexicon.length === 0 && own.length === 0) return { text, replaced: [] };
    // Later entries win: all-language entries, then this language's, then the video's own.
    return new Pronouncer([...lexicon.filter((e) => !e.language), ...lexicon.filter((e) => e.language), ...own]).apply(text);
  }

  /** Converts a tenant's recording to mono 16-bit WAV; 404 when it is not this tenant's. */
  private async fromRecording(tenantId: string, id: string, workDir: string, signal?: AbortSignal): Promise<TtsResult> {
    const rec = await this.deps.recordings.get(tenantId, id);
    if (!rec) throw notFound('Recording', id);
    const src = path.join(workDir, `recording${path.extname(rec.audio_key)}`);
    await fs.writeFile(src, await this.deps.storage.getBuffer(rec.audio_key));
    const pcm = await this.deps.audio.toPcm(src, RECORDING_WAV_RATE, { signal }).catch((e: unknown) => {
      throw new AppError(422, 'unreadable_file', `Recording ${id} cannot be decoded any more: ${(e as Error).message}`);
    });
    const wavPath = path.join(workDir, 'speech-recording.wav');
    await fs.writeFile(wavPath, encodeWav(pcm));
    return { wavPath, durationSec: pcmDurationSec(pcm), sampleRate: pcm.sampleRate };
  }

  /**
   * OpenAI TTS with the workspace's own key and base URL (no base URL: OpenAI's, not the server's
   * OPENAI_BASE_URL, which may point at a local model the workspace's key is not for). ElevenLabs keeps the
   * server's account: cloned voices live in one account, so a per-workspace key needs per-workspace cloning.
   */
  private async tenantEngine(tenantId: string, name: TtsEngineName): Promise<TtsEngine | null> {
    if (name !== 'openai' || !this.deps.tenantKeys) return null;
    const cred = await this.deps.tenantKeys.resolve(tenantId, 'openai');
    if (!cred) return null;
    const key = `${cred.apiKey}\n${cred.baseUrl ?? ''}`;
    const hit = this.tenantEngines.get(tenantId);
    if (hit?.key === key) return hit.engine;
    const config = { ...this.deps.config, OPENAI_TTS_API_KEY: cred.apiKey, OPENAI_TTS_BASE_URL: cred.baseUrl ?? undefined, OPENAI_BASE_URL: undefined };
    const engine = createTtsEngine('openai', { ...this.deps, config });
    this.tenantEngines.set(tenantId, { key, engine });
    return engine;
  }

  private engine(name: TtsEngineName): TtsEngine {
    let e = this.engines.get(name);
    if (!e) {
      e = createTtsEngine(name, this.deps);
      this.engines.set(name, e);
    }
    return e;
  }
}
