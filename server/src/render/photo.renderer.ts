import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { AvatarsTable } from '../db/tables/core';
import { requireFfmpeg, type MediaBinaries } from '../media/binaries';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { TtsResult } from '../media/tts';
import { frameLoudnessDb, parseWav } from '../media/wav';
import { thumbnailTexts, type ThumbnailTexts } from './captions';
import { encodeClip } from './clip';
import { planFrames, type PlannedFrame } from './frame-plan';
import { buildHeadRig, type HeadRig } from './head-warp';
import { checkTalkingVideo, gateFramesOf, gateTapArgs, type GateFrames, type GateReport } from './quality-gate';
import type { PreparedAvatar } from './prepared';
import { FORMATS, type Renderer, type RenderOutput, type RenderRequest, type RenderStage, type VideoFormat } from './renderer';
import { videoOptions, type SpeechSource } from './speech';
import { SegmentRenderer } from './segments/segments';
import { GIF_SECONDS, keepingClear, makeGif, makePoster } from './thumbnails';
import type { Storage } from '../storage/storage';

export const PHOTO_FPS = 25;
/**
 * Diamond motion search, subme 1 and a shorter lookahead: only the mouth moves, so the cheaper analysis
 * costs ~1 % in size and saves ~45 % of x264's CPU time (measured on a 28 s render: 3.8 → 2.1 CPU-s).
 * No sub-partitions (16x16 blocks; the head's motion is a smooth warp): another 8 % of x264's CPU on a head
 * motion render for 0.8 % in size. None of these change the SPS/PPS (only x264's options SEI differs), so
 * clips encoded before and after still join by stream copy.
 * No B-frames: encodeRunsArgs turns them off, as they make the MP4 track length wrong with VFR input.
 */
export const X264_PARAMS = 'me=dia:subme=1:ref=1:rc-lookahead=8:partitions=none';

export interface TalkingJob {
  ffmpeg: string;
  prepared: PreparedAvatar;
  speech: TtsResult;
  texts: ThumbnailTexts;
  workDir: string;
  /** Where converted sprites are cached between renders. */
  cacheDir: string;
  /** Small natural head motion (sway, nods, brows, breathing); false = lips and blinks only. Default true. */
  headMotion?: boolean;
  /** Test hook: plan a mouth that never moves (the quality gate must catch it). */
  frozenMouth?: boolean;
  /**
   * Decode the encoded video for the quality gate while it is encoded (a second ffmpeg reads the encoder's
   * tee'd copy of the video packets): `gateFrames` of the output. renderTalkingChecked turns it on.
   */
  decodeForGate?: boolean;
  signal?: AbortSignal;
  onProgress?: (stage: RenderStage, percent: number) => void;
  /** Stage timings in ms are added here (benchmarks). */
  timings?: Record<string, number>;
}

/** A talking render and what it was made from (the quality gate and the tests read the plan). */
export interface TalkingOutput extends RenderOutput {
  plan: PlannedFrame[];
  rig: HeadRig | null;
  /** Frames the encoder received (identical neighbours merged), and how many of them have a posed head. */
  distinctFrames: number;
  posedFrames: number;
  /** The output's frames as the quality gate decodes them (with `decodeForGate`), else null. */
  gateFrames: GateFrames | null;
}

/** The head rig of a prepared avatar, or null when it has no landmarks (synthetic test faces). */
export function rigFor(p: PreparedAvatar): HeadRig | null {
  return p.landmarks.length === 68 ? buildHeadRig(p.landmarks, p.width, p.height) : null;
}

/** The frame plan of a clip: visemes from the speech marks (else the loudness), blinks, and head poses. */
export function planTalking(o: { prepared: PreparedAvatar; rig: HeadRig | null; loudnessDb: Float32Array; marks?: TtsResult['marks']; frameCount: number; headMotion: boolean; frozenMouth?: boolean; seed?: number }): PlannedFrame[] {
  return planFrames({
    fps: PHOTO_FPS,
    frameCount: o.frameCount,
    levels: o.prepared.mouth.length,
    loudnessDb: o.loudnessDb,
    marks: o.marks,
    seed: o.seed,
    frozenMouth: o.frozenMouth,
    motion: o.headMotion && o.rig ? { faceWidthPx: o.rig.faceWidthPx, radiusPx: o.rig.radiusPx } : null,
  });
}

/**
 * Prepared sprites + speech → talking-photo MP4: frame plan (visemes from phoneme marks, else the audio
 * envelope; head poses), runs of identical frames as a VFR concat list over raw-YUV frames (sprites, and
 * head-posed frames warped from them), x264 veryfast CRF + fast AAC + faststart; poster and GIF are made in
 * parallel with the encode.
 */
export async function renderTalking(job: TalkingJob): Promise<TalkingOutput> {
  const t = job.timings ?? {};
  const { prepared: p, speech, workDir } = job;
  const t0 = performance.now();
  const audio = parseWav(await fs.readFile(speech.wavPath));
  const frameCount = Math.max(1, Math.ceil(speech.durationSec * PHOTO_FPS));
  const rig = rigFor(p);
  const plan = planTalking({ prepared: p, rig, loudnessDb: frameLoudnessDb(audio, PHOTO_FPS), marks: speech.marks, frameCount, headMotion: job.headMotion ?? true, frozenMouth: job.frozenMouth });
  t.plan = performance.now() - t0;
  const out: TalkingOutput = {
    videoPath: path.join(workDir, 'video.mp4'),
    posterPath: path.join(workDir, 'poster.jpg'),
    gifPath: path.join(workDir, 'thumb.gif'),
    durationSec: speech.durationSec,
    width: p.width,
    height: p.height,
    plan,
    rig,
    distinctFrames: 0,
    posedFrames: 0,
    gateFrames: null,
  };
  job.onProgress?.('encode', 0);
  const timed = <T>(name: string, pr: Promise<T>) => {
    const s = performance.now();
    return pr.then((v) => ((t[name] = performance.now() - s), v));
  };
  // The play button must not hide the talking mouth in the GIF and poster.
  const texts = keepingClear(job.texts, p.landmarks, p.width, p.height);
  let gif: Promise<number> | null = null;
  const startGif = (listPath: string) => {
    gif = timed(
      'gif',
      makeGif({
        ffmpeg: job.ffmpeg,
        input: { kind: 'concat', path: listPath },
        videoWidth: p.width,
        videoHeight: p.height,
        texts,
        overlayPath: path.join(workDir, 'gif-overlay.png'),
        outPath: out.gifPath,
        signal: job.signal,
      }),
    );
    gif.catch(() => {}); // awaited below; keeps an early failure from being unhandled
  };
  const poster = timed('poster', makePoster(p.mouth[0]!, p.width, p.height, texts, out.posterPath));
  const clip = await encodeClip({
    ffmpeg: job.ffmpeg,
    prepared: p,
    frames: plan,
    fps: PHOTO_FPS,
    durationSec: speech.durationSec,
    rig,
    audioPath: speech.wavPath,
    outPath: out.videoPath,
    workDir,
    cacheDir: job.cacheDir,
    name: 'frames',
    gifSeconds: GIF_SECONDS,
    // makeGif samples its input at 10 fps (thumbnails.ts), so the list needs only the frames shown then.
    gifSampleFps: 10,
    x264Params: X264_PARAMS,
    tapArgs: job.decodeForGate ? gateTapArgs(p.width, p.height, PHOTO_FPS) : undefined,
    onGifList: startGif,
    signal: job.signal,
  });
  job.onProgress?.('encode', 100);
  Object.assign(t, { sprites: clip.timings.spritesMs, warp: clip.timings.warpMs, encode: clip.timings.encodeMs });
  out.distinctFrames = clip.distinctFrames;
  out.posedFrames = clip.posedFrames;
  if (clip.tapOut) out.gateFrames = gateFramesOf(clip.tapOut, p.width, p.height);
  await Promise.all([poster, gif]);
  job.onProgress?.('thumbnails', 100);
  return out;
}

export type LoadPrepared = (
  avatar: Pick<Selectable<AvatarsTable>, 'id' | 'tenant_id' | 'photo_key' | 'prepared'>,
  format: VideoFormat,
) => Promise<PreparedAvatar>;

/** Test hook (RENDER_TEST_FROZEN_MOUTH): freeze the mouth on the first attempt only, or on every attempt. */
export type FrozenMouthHook = 'off' | 'first' | 'always';

export interface PhotoRendererDeps {
  binaries: MediaBinaries;
  speech: SpeechSource;
  loadPrepared: LoadPrepared;
  cacheDir?: string;
  /** Test hook: see FrozenMouthHook. */
  frozenMouth?: FrozenMouthHook;
  /** Where campaign segments are cached (shared parts); without it, segmented videos render whole. */
  storage?: Storage;
  /**
   * The text the TTS engine really speaks for a script part (the tenant's lexicon, then the video's own
   * pronunciations): what segment caches are keyed on, so a lexicon change re-renders the shared part.
   */
  spokenText?: (tenantId: string, text: string, language: string, pronunciations?: Record<string, string>) => Promise<string>;
  log?: Pick<Logger, 'warn' | 'info'>;
}

/** Thrown when a render fails its quality gate even with the safe setting: the video must not be completed. */
export function qualityError(problems: string[]): AppError {
  return new AppError(422, 'render_quality_failed', `The rendered video failed its quality checks even with head motion off: ${problems.join('; ')}`, { problems });
}

/**
 * Renders, then checks the result (quality-gate.ts). A render that fails is made again with the safe setting
 * — lips only, no head motion — and if that fails too, the render fails instead of shipping a frozen face.
 */
export async function renderTalkingChecked(
  job: Omit<TalkingJob, 'frozenMouth'> & { frozenMouth?: FrozenMouthHook | boolean; log?: Pick<Logger, 'warn' | 'info'> },
): Promise<TalkingOutput & { gate: GateReport; attempts: number }> {
  const frozen = (attempt: number) => job.frozenMouth === true || job.frozenMouth === 'always' || (job.frozenMouth === 'first' && attempt === 1);
  const wantMotion = job.headMotion ?? true;
  const t0 = performance.now();
  // The gate's decoder reads the encode's output as it is written (see decodeForGate): only its analysis runs after.
  const first = await renderTalking({ ...job, headMotion: wantMotion, frozenMouth: frozen(1), decodeForGate: true });
  const ffmpeg = job.ffmpeg;
  const check = (o: TalkingOutput) =>
    checkTalkingVideo({ ffmpeg, videoPath: o.videoPath, wavPath: job.speech.wavPath, prepared: job.prepared, plan: o.plan, rig: o.rig, fps: PHOTO_FPS, signal: job.signal, decoded: o.gateFrames ?? undefined });
  const gate = await check(first);
  if (job.timings) job.timings.gate = gate.ms;
  if (gate.ok) return { ...first, gate, attempts: 1 };
  job.log?.warn({ problems: gate.problems, r: gate.r }, 'render failed its quality gate; rendering again with lips only');
  const safeDir = path.join(job.workDir, 'safe');
  await fs.mkdir(safeDir, { recursive: true });
  const second = await renderTalking({ ...job, workDir: safeDir, headMotion: false, frozenMouth: frozen(2), decodeForGate: true });
  const gate2 = await check(second);
  if (job.timings) job.timings.retry = performance.now() - t0;
  if (!gate2.ok) throw qualityError(gate2.problems);
  return { ...second, gate: gate2, attempts: 2 };
}

/** Renderer `photo`: a local talking photo from the avatar's prepared sprites (CPU, faster than real time). */
export class PhotoRenderer implements Renderer {
  readonly name = 'photo' as const;
  private segmentRenderer: SegmentRenderer | null = null;
  constructor(private readonly deps: PhotoRendererDeps) {}

  private segments(): SegmentRenderer | null {
    if (!this.deps.storage) return null;
    this.segmentRenderer ??= new SegmentRenderer({ ffmpeg: requireFfmpeg(this.deps.binaries), storage: this.deps.storage, cacheDir: this.cacheDir() });
    return this.segmentRenderer;
  }

  private cacheDir(): string {
    return this.deps.cacheDir ?? path.join(os.tmpdir(), 'mvs-sprite-cache');
  }

  /** A campaign video whose script has a shared part: personal part rendered, shared part reused. */
  private async renderSegmented(req: RenderRequest, seg: SegmentRenderer, parts: { personal: string; shared: string }): Promise<RenderOutput> {
    const format = (req.video.format in FORMATS ? req.video.format : 'portrait') as VideoFormat;
    const opts = videoOptions(req);
    req.onProgress('tts', 0);
    const prepared = await this.deps.loadPrepared(req.avatar, format);
    req.onProgress('prepare', 100);
    // The caches are keyed on what is spoken (lexicon and the contact's pronunciations applied), so a contact's
    // own pronunciation of their name does not re-render the shared part, and a lexicon change does.
    const voiceKey = JSON.stringify({ settings: req.avatar.voice_settings ?? {}, tts: opts.tts ?? null });
    const spoken = (text: string) => (this.deps.spokenText ? this.deps.spokenText(req.video.tenant_id, text, req.video.language, opts.pronunciations) : Promise.resolve(text));
    const [sharedSpoken, personalSpoken] = await Promise.all([spoken(parts.shared), spoken(parts.personal)]);
    const speak = (text: string, workDir: string) => this.deps.speech({ ...req, workDir, video: { ...req.video, script: text } });
    req.onProgress('encode', 0);
    const out = await seg.render({
      tenantId: req.video.tenant_id,
      prepared,
      personalText: parts.personal,
      sharedText: parts.shared,
      sharedSpoken,
      personalSpoken,
      language: req.video.language,
      voiceKey,
      speak,
      texts: thumbnailTexts(req.video.language, opts.recipient_name, req.branding, opts.caption),
      headMotion: opts.head_motion !== false,
      frozenMouth: this.deps.frozenMouth === 'always',
      workDir: path.join(req.workDir, 'segments'),
      signal: req.signal,
    });
    req.onProgress('thumbnails', 100);
    return { videoPath: out.videoPath, posterPath: out.posterPath, gifPath: out.gifPath, durationSec: out.durationSec, width: out.width, height: out.height };
  }

  async render(req: RenderRequest): Promise<RenderOutput> {
    const parts = videoOptions(req).segments;
    const seg = this.segments();
    if (seg && parts && parts.personal.trim() && parts.shared.trim() && !videoOptions(req).recording_id) return this.renderSegmented(req, seg, parts);
    const format = (req.video.format in FORMATS ? req.video.format : 'portrait') as VideoFormat;
    req.onProgress('tts', 0);
    const [speech, prepared] = await Promise.all([
      this.deps.speech(req).then((s) => (req.onProgress('tts', 100), s)),
      this.deps.loadPrepared(req.avatar, format).then((p) => (req.onProgress('prepare', 100), p)),
    ]);
    const opts = videoOptions(req);
    const out = await renderTalkingChecked({
      ffmpeg: requireFfmpeg(this.deps.binaries),
      prepared,
      speech,
      texts: thumbnailTexts(req.video.language, opts.recipient_name, req.branding, opts.caption),
      workDir: req.workDir,
      cacheDir: this.cacheDir(),
      headMotion: opts.head_motion !== false,
      frozenMouth: this.deps.frozenMouth ?? 'off',
      log: this.deps.log,
      signal: req.signal,
      onProgress: req.onProgress,
    });
    return { videoPath: out.videoPath, posterPath: out.posterPath, gifPath: out.gifPath, durationSec: out.durationSec, width: out.width, height: out.height };
  }
}
