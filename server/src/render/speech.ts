import type { TtsEngine, TtsResult } from '../media/tts';
import type { RenderRequest } from './renderer';

/**
 * Where a render's audio comes from: in the server, the providers' SpeechService (recording or TTS engine
 * by the avatar's settings); in the CLI and benchmarks, espeak directly (see ttsSpeech).
 */
export type SpeechSource = (req: RenderRequest) => Promise<TtsResult>;

/** Render options the videos API stores on the row (`videos.options`) that renderers read. */
export interface VideoRenderOptions {
  recipient_name?: string;
  /** false = lips and blinks only (no head sway, nods or brow lifts). Default true. */
  head_motion?: boolean;
  /**
   * Campaign segment reuse (render/segments): the script split into the contact's personal part and the part
   * every contact shares (`splitScript` in shared/). The shared part is rendered once and cached; only the
   * personal part is rendered per video. Ignored (whole render) when `shared` is empty or a recording is used.
   */
  segments?: { personal: string; shared: string };
  recording_id?: string;
  tts?: { engine?: string; voice?: string };
  pronunciations?: Record<string, string>;
  /** A caption for the poster and GIF instead of "Hi <name> — a video for you" (campaigns' poster_caption). */
  caption?: string;
}

export function videoOptions(req: Pick<RenderRequest, 'video'>): VideoRenderOptions {
  const o = req.video.options;
  return o && typeof o === 'object' ? (o as VideoRenderOptions) : {};
}

/** A SpeechSource that speaks the script with one engine and the avatar's voice settings. */
export function ttsSpeech(engine: TtsEngine): SpeechSource {
  return (req) => {
    const vs = req.avatar.voice_settings ?? {};
    const own = (vs.engine ?? 'espeak') === engine.name;
    return engine.synthesize(
      req.video.script,
      { language: req.video.language, voice: own ? vs.voice : undefined, rate: own ? vs.rate : undefined, pitch: own ? vs.pitch : undefined },
      req.workDir,
      req.signal,
    );
  };
}
