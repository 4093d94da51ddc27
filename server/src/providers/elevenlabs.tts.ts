import { AppError } from '../errors';
import type { SpeechMark, TtsEngine, TtsOptions, TtsResult } from '../media/tts';
import type { AudioTools } from './audio.ffmpeg';
import type { ElevenLabsClient } from './elevenlabs.client';
import { synthesizeInParts, type PartAudio } from './synthesize-parts';

/** Per-request character limits by model (providers.md §2.6); unknown models get the smallest. */
export const ELEVENLABS_CHAR_LIMITS: Record<string, number> = {
  eleven_v3: 3_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2_5: 40_000,
  eleven_flash_v2: 30_000,
  eleven_turbo_v2: 30_000,
  eleven_multilingual_v2: 10_000,
};
export const elevenLabsCharLimit = (model: string) => ELEVENLABS_CHAR_LIMITS[model] ?? 3_000;
/** Our WAV output rate for ElevenLabs speech (mono 16-bit). */
export const ELEVENLABS_WAV_RATE = 24_000;

export interface Alignment {
  characters: string[];
  character_start_times_seconds: number[];
  character_end_times_seconds: number[];
}

interface WithTimestampsResponse {
  audio_base64: string;
  alignment?: Alignment | null;
  normalized_alignment?: Alignment | null;
}

/** Character alignment → a 'phoneme' mark per visible character and a 'word' mark per run of them, by start time. */
export function alignmentToMarks(a: Alignment): SpeechMark[] {
  const marks: SpeechMark[] = [];
  let word: { value: string; startMs: number; endMs: number } | undefined;
  const flush = () => {
    if (word) marks.push({ kind: 'word', ...word });
    word = undefined;
  };
  a.characters.forEach((ch, i) => {
    const startMs = Math.round((a.character_start_times_seconds[i] ?? 0) * 1000);
    const endMs = Math.max(startMs, Math.round((a.character_end_times_seconds[i] ?? 0) * 1000));
    if (/^\s*$/u.test(ch)) return flush();
    marks.push({ kind: 'phoneme', value: ch, startMs, endMs });
    if (word) {
      word.value += ch;
      word.endMs = Math.max(word.endMs, endMs);
    } else word = { value: ch, startMs, endMs };
  });
  flush();
  return marks.sort((x, y) => x.startMs - y.startMs || (x.kind === 'word' ? -1 : 1));
}

export interface ElevenLabsTtsConfig {
  modelId: string;
  /** Used when neither the request nor the avatar names a voice. */
  defaultVoiceId?: string;
  /** Documented `output_format`; mp3_44100_128 works on every plan. */
  outputFormat: string;
}

/** ElevenLabs text-to-speech with character timestamps, converted to mono 16-bit WAV with ffmpeg. */
export class ElevenLabsTts implements TtsEngine {
  readonly name = 'elevenlabs' as const;
  constructor(
    private readonly client: ElevenLabsClient,
    private readonly audio: AudioTools,
    private readonly cfg: ElevenLabsTtsConfig,
  ) {}

  synthesize(text: string, opts: TtsOptions, workDir: string, signal?: AbortSignal): Promise<TtsResult> {
    const voiceId = opts.voice ?? this.cfg.defaultVoiceId;
    if (!voiceId) {
      throw new AppError(422, 'tts_unavailable', 'ElevenLabs needs a voice: upload a voice sample to clone, pick a voice, or set ELEVENLABS_VOICE_ID');
    }
    return synthesizeInParts(text, elevenLabsCharLimit(this.cfg.modelId), (part) => this.speakOnce(part, voiceId, opts, signal), {
      workDir,
      name: 'speech-elevenlabs',
      signal,
    });
  }

  private async speakOnce(text: string, voiceId: string, opts: TtsOptions, signal?: AbortSignal): Promise<PartAudio> {
    const body = {
      text,
      model_id: this.cfg.modelId,
      // Only Turbo/Flash v2.5 accept language_code; the others answer an error (providers.md §2.2).
      ...(/_v2_5$/.test(this.cfg.modelId) && opts.language ? { language_code: opts.language } : {}),
      ...(opts.rate && opts.rate !== 1 ? { voice_settings: { speed: Math.min(1.2, Math.max(0.7, opts.rate)) } } : {}),
    };
    const res = await this.client.request<WithTimestampsResponse>(
      `v1/text-to-speech/${encodeURIComponent(voiceId)}/with-timestamps`,
      { method: 'POST', json: body, query: { output_format: this.cfg.outputFormat } },
      signal,
    );
    if (typeof res.audio_base64 !== 'string' || !res.audio_base64) throw new AppError(502, 'provider_error', 'ElevenLabs returned no audio');
    const encoded = Buffer.from(res.audio_base64, 'base64');
    const raw = /^pcm_(\d+)$/.exec(this.cfg.outputFormat);
    let pcm;
    try {
      pcm = await this.audio.toPcm(encoded, ELEVENLABS_WAV_RATE, { ...(raw ? { raw: { sampleRate: Number(raw[1]) } } : {}), signal });
    } catch (e) {
      throw new AppError(502, 'provider_error', `ElevenLabs audio could not be decoded: ${(e as Error).message}`, { provider: 'elevenlabs' });
    }
    if (pcm.data.length === 0) throw new AppError(502, 'provider_error', 'ElevenLabs returned empty audio', { provider: 'elevenlabs' });
    const alignment = res.alignment ?? res.normalized_alignment;
    return { pcm, ...(alignment ? { marks: alignmentToMarks(alignment) } : {}) };
  }
}
