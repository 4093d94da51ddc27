/** One timed speech unit from a TTS engine (ms from the start of the audio). */
export interface SpeechMark {
  kind: 'word' | 'phoneme' | 'sentence';
  startMs: number;
  endMs: number;
  /** The word text, or the phoneme symbol (espeak/IPA for espeak, characters for ElevenLabs). */
  value: string;
}

export interface TtsOptions {
  language: 'en' | 'vi' | string;
  /** Engine-specific voice id/name (espeak voice like 'en-us', OpenAI voice like 'alloy', ElevenLabs voice id). */
  voice?: string;
  /** Words per minute for espeak; speed factor for others (1 = normal). */
  rate?: number;
  pitch?: number;
}

export interface TtsResult {
  /** A mono 16-bit PCM WAV file on local disk. */
  wavPath: string;
  durationSec: number;
  sampleRate: number;
  /** Timings when the engine gives them (espeak phonemes, ElevenLabs characters); else absent. */
  marks?: SpeechMark[];
}

/** A text-to-speech engine. Engines split long scripts themselves at sentence ends and join without gaps. */
export interface TtsEngine {
  readonly name: 'espeak' | 'openai' | 'elevenlabs';
  /** Writes the speech into `workDir` and returns it. */
  synthesize(text: string, opts: TtsOptions, workDir: string, signal?: AbortSignal): Promise<TtsResult>;
}
