import type { Config } from '../config';
import type { VoiceSettings } from '../db/tables/core';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { EspeakBinary } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import type { TtsEngine } from '../media/tts';
import type { AudioTools } from './audio.ffmpeg';
import { ElevenLabsClient } from './elevenlabs.client';
import { ElevenLabsTts } from './elevenlabs.tts';
import { OpenAiTts } from './openai.tts';
import type { RetryPolicy } from './provider-retry';

export type TtsEngineName = TtsEngine['name'];

type TtsConfig = Pick<
  Config,
  | 'TTS_ENGINE' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_TTS_API_KEY' | 'OPENAI_TTS_BASE_URL' | 'OPENAI_TTS_MODEL' | 'OPENAI_TTS_VOICE'
  | 'OPENAI_TTS_FORMAT' | 'ELEVENLABS_API_KEY' | 'ELEVENLABS_BASE_URL' | 'ELEVENLABS_MODEL_ID' | 'ELEVENLABS_VOICE_ID' | 'ELEVENLABS_OUTPUT_FORMAT'
>;

/** What the engines need: keys and endpoints from env (per-tenant settings later), ffmpeg, espeak, a logger. */
export interface TtsDeps {
  config: TtsConfig;
  audio: AudioTools;
  espeak: EspeakBinary;
  log?: Logger;
  /** Tests shorten the waits; production uses DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

/** The ElevenLabs REST client, or null when ELEVENLABS_API_KEY is not set. */
export function elevenLabsClient(deps: TtsDeps): ElevenLabsClient | null {
  const c = deps.config;
  if (!c.ELEVENLABS_API_KEY) return null;
  return new ElevenLabsClient({ apiKey: c.ELEVENLABS_API_KEY, baseUrl: c.ELEVENLABS_BASE_URL, log: deps.log?.child({ provider: 'elevenlabs' }), retry: deps.retry });
}

/** Builds one engine. A cloud engine without its API key answers 422 tts_unavailable saying which variable to set. */
export function createTtsEngine(name: TtsEngineName, deps: TtsDeps): TtsEngine {
  const c = deps.config;
  switch (name) {
    case 'espeak':
      return new EspeakTts(deps.espeak);
    case 'openai': {
      const apiKey = c.OPENAI_TTS_API_KEY ?? c.OPENAI_API_KEY;
      if (!apiKey) throw new AppError(422, 'tts_unavailable', 'OpenAI text-to-speech is not configured: set OPENAI_API_KEY (or OPENAI_TTS_API_KEY)');
      return new OpenAiTts({
        apiKey,
        baseURL: c.OPENAI_TTS_BASE_URL ?? c.OPENAI_BASE_URL,
        model: c.OPENAI_TTS_MODEL,
        defaultVoice: c.OPENAI_TTS_VOICE,
        format: c.OPENAI_TTS_FORMAT,
        log: deps.log?.child({ provider: 'openai' }),
        retry: deps.retry,
      });
    }
    case 'elevenlabs': {
      const client = elevenLabsClient(deps);
      if (!client) throw new AppError(422, 'tts_unavailable', 'ElevenLabs text-to-speech is not configured: set ELEVENLABS_API_KEY');
      return new ElevenLabsTts(client, deps.audio, { modelId: c.ELEVENLABS_MODEL_ID, defaultVoiceId: c.ELEVENLABS_VOICE_ID, outputFormat: c.ELEVENLABS_OUTPUT_FORMAT });
    }
  }
}

/** Which engine and voice settings speak a video. */
export interface TtsChoice {
  engine: TtsEngineName;
  voice?: string;
  rate?: number;
  pitch?: number;
}

/**
 * Chooses the engine for a video: the video's `tts.engine` option first, else the avatar's
 * `voice_settings.engine`, else TTS_ENGINE (espeak by default). The avatar's voice, rate and pitch apply only
 * when its settings are for the chosen engine (espeak rate is words per minute; the cloud engines take a
 * speed factor), and the video's `tts.voice` overrides the voice.
 */
export function ttsFor(
  avatar: { voice_settings: VoiceSettings },
  videoOptions: { tts?: { engine?: TtsEngineName; voice?: string } },
  defaultEngine: TtsEngineName = 'espeak',
): TtsChoice {
  const vs = avatar.voice_settings;
  const engine = videoOptions.tts?.engine ?? vs.engine ?? defaultEngine;
  const fromAvatar = (vs.engine ?? defaultEngine) === engine ? vs : {};
  const voice = videoOptions.tts?.voice ?? fromAvatar.voice;
  return {
    engine,
    ...(voice ? { voice } : {}),
    ...(fromAvatar.rate !== undefined ? { rate: fromAvatar.rate } : {}),
    ...(fromAvatar.pitch !== undefined ? { pitch: fromAvatar.pitch } : {}),
  };
}
