import fs from 'node:fs/promises';
import { AppError } from '../errors';
import { requireFfmpeg, type MediaBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import type { TtsResult } from '../media/tts';
import { thumbnailTexts } from './captions';
import { renderTalkingChecked } from './photo.renderer';
import type { GateReport } from './quality-gate';
import type { PreparedAvatar } from './prepared';
import { analyzePhoto, buildFormatSprites } from './prepare/prepare-photo';
import { FORMATS, type RenderOutput, type VideoFormat } from './renderer';
import { renderStill } from './static.renderer';

export interface LocalRenderOptions {
  binaries: MediaBinaries;
  photo: Buffer;
  script: string;
  language: string;
  renderer: 'photo' | 'static';
  format: VideoFormat;
  voice?: string;
  rate?: number;
  pitch?: number;
  recipientName?: string;
  workDir: string;
  cacheDir: string;
  /** An already prepared avatar (benchmarks prepare once, render many). */
  prepared?: PreparedAvatar;
  /** Photo renderer: head motion (default true); false = lips only. */
  headMotion?: boolean;
  signal?: AbortSignal;
}

export interface LocalRenderResult {
  output: RenderOutput;
  /** The renderer that ran: `static` when the photo renderer could not prepare the photo. */
  renderer: 'photo' | 'static';
  /** Why the photo renderer fell back to static, if it did. */
  fallbackReason?: string;
  speech: TtsResult;
  prepared?: PreparedAvatar;
  timings: Record<string, number>;
  /** Photo renderer: the quality gate's report on the output (its r is mouth motion vs loudness) and the attempts. */
  gate?: GateReport;
  attempts?: number;
  /** Photo renderer: frames the encoder received, and how many of them had a posed head. */
  frames?: { distinct: number; posed: number };
}

/** Prepares a photo for the photo renderer: face landmarks + sprite set (render-face's prepare functions). */
export async function preparePhoto(photo: Buffer, format: VideoFormat): Promise<PreparedAvatar> {
  return (await buildFormatSprites(photo, await analyzePhoto(photo), format)).prepared;
}

/** Renders a script over a photo without the server (CLI, benchmarks): espeak TTS, then photo or static. */
export async function renderLocally(o: LocalRenderOptions): Promise<LocalRenderResult> {
  const timings: Record<string, number> = {};
  const ffmpeg = requireFfmpeg(o.binaries);
  await fs.mkdir(o.workDir, { recursive: true });
  const tTts = performance.now();
  const speechP = new EspeakTts(o.binaries.espeak)
    .synthesize(o.script, { language: o.language, voice: o.voice, rate: o.rate, pitch: o.pitch }, o.workDir, o.signal)
    .then((s) => ((timings.tts = performance.now() - tTts), s));
  let prepared = o.prepared;
  let renderer = o.renderer;
  let fallbackReason: string | undefined;
  if (renderer === 'photo' && !prepared) {
    const tp = performance.now();
    try {
      prepared = await preparePhoto(o.photo, o.format);
      timings.prepare = performance.now() - tp;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      renderer = 'static';
      fallbackReason = e.message;
    }
  }
  const speech = await speechP;
  const texts = thumbnailTexts(o.language, o.recipientName);
  const t0 = performance.now();
  if (renderer === 'photo' && prepared) {
    const out = await renderTalkingChecked({ ffmpeg, prepared, speech, texts, workDir: o.workDir, cacheDir: o.cacheDir, signal: o.signal, timings, headMotion: o.headMotion ?? true });
    timings.render = performance.now() - t0;
    const output: RenderOutput = { videoPath: out.videoPath, posterPath: out.posterPath, gifPath: out.gifPath, durationSec: out.durationSec, width: out.width, height: out.height };
    return { output, renderer, fallbackReason, speech, prepared, timings, gate: out.gate, attempts: out.attempts, frames: { distinct: out.distinctFrames, posed: out.posedFrames } };
  }
  const output = await renderStill({ ffmpeg, photo: o.photo, speech, ...FORMATS[o.format], texts, workDir: o.workDir, signal: o.signal, timings });
  timings.render = performance.now() - t0;
  return { output, renderer, fallbackReason, speech, prepared, timings };
}
