import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { joinClipsArgs } from '../../media/ffmpeg-args';
import { runFfmpeg } from '../../media/ffmpeg.runner';
import type { SpeechMark, TtsResult } from '../../media/tts';
import { encodeWav, frameLoudnessDb, parseWav, wavHeader, type PcmAudio } from '../../media/wav';
import type { Storage } from '../../storage/storage';
import type { ThumbnailTexts } from '../captions';
import { encodeClip } from '../clip';
import type { PlannedFrame } from '../frame-plan';
import { PHOTO_FPS, planTalking, qualityError, rigFor, X264_PARAMS } from '../photo.renderer';
import type { PreparedAvatar } from '../prepared';
import { checkTalkingVideo, type GateReport } from '../quality-gate';
import type { RenderOutput } from '../renderer';
import { gifFromTemplate, makeGif, makeGifTemplate, makePoster, thumbnailSizes, type GifTemplate } from '../thumbnails';

/**
 * Segment reuse for campaigns (issue 9 §5): the part of a script every contact shares is rendered once per
 * (avatar sprites, format, text, voice incl. pronunciations, head motion) and cached in storage; per contact
 * only the personal part (the greeting sentence) is spoken — TTS cached by text + voice — and encoded, then
 * joined to the shared part by stream copy. Both clips use the same encoder settings, start on an IDR frame
 * (closed GOP, no B-frames) and have the head and mouth at rest at their ends, so the join has no seam; the
 * speech of both is concatenated sample-exact and the audio track is encoded once. Each clip's audio is padded
 * with silence to a whole number of frames, so video and audio stay aligned across the join.
 */

/** Bump when the renderer's output changes in a way that must not mix with cached shared parts. */
export const SEGMENT_VERSION = 1;

export interface SegmentRequest {
  tenantId: string;
  prepared: PreparedAvatar;
  /** The spoken personal part of this contact (variables filled in), e.g. "Hi Anna, great to meet you!". */
  personalText: string;
  /** The part every contact shares; '' renders the whole script at once (no reuse). */
  sharedText: string;
  /**
   * What the TTS engine really says for each part (pronunciations applied): the cache keys. Default: the texts.
   * Spoken differently (a tenant lexicon entry changed), the shared part is rendered again.
   */
  sharedSpoken?: string;
  personalSpoken?: string;
  language: string;
  /**
   * Everything besides the spoken text that changes how it sounds (engine, voice, rate, pitch): part of the
   * cache keys of the shared segment and of the personal TTS.
   */
  voiceKey: string;
  /** Speaks one text with the video's voice (the speech layer applies pronunciations) into `workDir`. */
  speak(text: string, workDir: string): Promise<TtsResult>;
  texts: ThumbnailTexts;
  /** Head motion of the shared part. */
  headMotion: boolean;
  /**
   * Head motion of the personal part too (default false): the greeting is a few seconds, the head is at rest at
   * the join either way, and a still head halves the per-contact encode (measured: 0.9 → 0.45 CPU-s for 4 s).
   */
  personalHeadMotion?: boolean;
  workDir: string;
  signal?: AbortSignal;
  /** Test hook: freeze the personal part's mouth (the quality gate must refuse it). */
  frozenMouth?: boolean;
}

export interface SegmentOutput extends RenderOutput {
  /** True when the shared part came from the cache (memory, disk or storage) instead of being rendered now. */
  reusedShared: boolean;
  /**
   * How the GIF was made: 'template' = the shared part's GIF (made once per campaign) with this contact's caption
   * drawn into frame 1; 'own' = from this contact's personal part (the caption reached into the moving pixels).
   */
  gifSource: 'template' | 'own';
  /** Seconds of the personal part (the join point). */
  personalSec: number;
  gate: GateReport;
  timings: Record<string, number>;
}

export interface SegmentRendererDeps {
  ffmpeg: string;
  storage: Storage;
  /** Local folder for sprite Y4M files, shared segments and personal TTS (a worker's DATA_DIR cache). */
  cacheDir: string;
}

interface SharedSegment {
  videoPath: string;
  wavPath: string;
  frames: number;
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const identities = new WeakMap<PreparedAvatar, string>();
const rigs = new WeakMap<PreparedAvatar, ReturnType<typeof rigFor>>();
/** The head rig of a sprite set, built once per loaded set (the loader keeps sets in memory). */
const rigOf = (p: PreparedAvatar) => {
  if (!rigs.has(p)) rigs.set(p, rigFor(p));
  return rigs.get(p)!;
};

/** Identity of a prepared sprite set (its resting and closed sprites and size). */
export function spriteIdentity(p: PreparedAvatar): string {
  let id = identities.get(p);
  if (!id) identities.set(p, (id = sha(Buffer.concat([Buffer.from(`${p.width}x${p.height}:${p.mouth.length}:`), p.mouth[0]!, p.closed]))));
  return id;
}

/** Audio padded with silence to a whole number of frames (so the next clip starts on a frame boundary). */
function padToFrames(a: PcmAudio, fps: number): { audio: PcmAudio; frames: number } {
  const frames = Math.max(1, Math.ceil(a.durationSec * fps - 1e-6));
  const n = Math.round((frames * a.sampleRate) / fps);
  const samples = new Float32Array(n);
  samples.set(a.samples.subarray(0, Math.min(n, a.samples.length)));
  return { audio: { sampleRate: a.sampleRate, samples, durationSec: n / a.sampleRate }, frames };
}

async function exists(f: string): Promise<boolean> {
  return fs.stat(f).then(
    () => true,
    () => false,
  );
}

async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

export class SegmentRenderer {
  private readonly inflight = new Map<string, Promise<SharedSegment>>();
  /** The poster quality that fitted the first contact of a style: the next ones try it first (one JPEG encode). */
  private readonly posterQuality = new Map<string, number>();
  /** A shared part's speech as 16-bit samples (the data chunk of its WAV), kept in memory for the joins. */
  private readonly sharedPcm = new Map<string, Promise<{ sampleRate: number; data: Buffer }>>();
  /** GIF templates by shared part and overlay style; a few campaigns at a time, so a small map is enough. */
  private readonly gifTemplates = new Map<string, Promise<GifTemplate>>();

  constructor(private readonly deps: SegmentRendererDeps) {}

  /** The cache key of a request's shared part. */
  sharedKey(r: Pick<SegmentRequest, 'prepared' | 'sharedText' | 'sharedSpoken' | 'language' | 'voiceKey' | 'headMotion'>): string {
    return sha(JSON.stringify({ v: SEGMENT_VERSION, sprites: spriteIdentity(r.prepared), text: (r.sharedSpoken ?? r.sharedText).trim(), language: r.language, voice: r.voiceKey, head: r.headMotion }));
  }

  /** Renders one contact's video: personal part now, shared part from the cache (rendered on first use). */
  async render(r: SegmentRequest): Promise<SegmentOutput> {
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    await fs.mkdir(r.workDir, { recursive: true });
    if (!r.sharedText.trim()) throw new Error('SegmentRenderer.render needs a shared part; render the script whole instead');
    const key = this.sharedKey(r);
    let reused = true;
    const sharedP = this.shared(r, key, () => (reused = false));
    const personalP = this.personalSpeech(r);
    const [shared, personal] = await Promise.all([sharedP, personalP]);
    timings.shared = performance.now() - t0;
    const pcm = parseWav(await fs.readFile(personal.wavPath));
    const sharedPcm = await this.sharedAudio(key, shared.wavPath);
    if (pcm.sampleRate !== sharedPcm.sampleRate) throw new Error(`personal speech is ${pcm.sampleRate} Hz but the shared part is ${sharedPcm.sampleRate} Hz`);
    const padded = padToFrames(pcm, PHOTO_FPS);
    const personalWav = path.join(r.workDir, 'personal.wav');
    const personalBytes = encodeWav(padded.audio.samples, padded.audio.sampleRate);
    await fs.writeFile(personalWav, personalBytes);
    const personalSec = padded.frames / PHOTO_FPS;
    const rig = rigOf(r.prepared);
    const out: SegmentOutput = {
      videoPath: path.join(r.workDir, 'video.mp4'),
      posterPath: path.join(r.workDir, 'poster.jpg'),
      gifPath: path.join(r.workDir, 'thumb.gif'),
      durationSec: personalSec + shared.frames / PHOTO_FPS,
      width: r.prepared.width,
      height: r.prepared.height,
      reusedShared: reused,
      gifSource: 'template',
      personalSec,
      gate: undefined as unknown as GateReport,
      timings,
    };
    const posterStyle = this.styleKey(r, key);
    const posterReport: { quality?: number; width?: number } = {};
    const poster = makePoster(r.prepared.mouth[0]!, r.prepared.width, r.prepared.height, r.texts, out.posterPath, posterReport, this.posterQuality.get(posterStyle)).then((bytes) => {
      if (posterReport.quality && posterReport.width === thumbnailSizes(r.prepared.width, r.prepared.height).poster.width) {
        this.posterQuality.set(posterStyle, posterReport.quality);
        while (this.posterQuality.size > 64) this.posterQuality.delete(this.posterQuality.keys().next().value!);
      }
      return bytes;
    });
    // The GIF: the shared part's (made once) with this contact's caption in frame 1 — no decode, no palette, no
    // encode of the later frames per contact; else (a caption that reaches the moving mouth) the personal part's own.
    const tg = performance.now();
    const fromTemplate = this.gifTemplate(r, key, shared).then(
      (t) => gifFromTemplate(t, r.texts, out.gifPath),
      () => null,
    );
    fromTemplate.then(() => (timings.gif = performance.now() - tg)).catch(() => {});
    // The personal clip (gated like a whole render; lips only if the first try fails).
    const encodePersonal = async (headMotion: boolean, frozen: boolean, name: string) => {
      const plan = planTalking({ prepared: r.prepared, rig, loudnessDb: frameLoudnessDb(padded.audio, PHOTO_FPS), marks: personal.marks, frameCount: padded.frames, headMotion, frozenMouth: frozen });
      const clipPath = path.join(r.workDir, `${name}.mp4`);
      await encodeClip({
        ffmpeg: this.deps.ffmpeg, prepared: r.prepared, frames: plan, fps: PHOTO_FPS, durationSec: personalSec, rig, audioPath: null,
        outPath: clipPath, workDir: r.workDir, cacheDir: this.deps.cacheDir, name, gifSeconds: 0, x264Params: X264_PARAMS, signal: r.signal,
      });
      const gate = await checkTalkingVideo({ ffmpeg: this.deps.ffmpeg, videoPath: clipPath, wavPath: personalWav, prepared: r.prepared, plan, rig, fps: PHOTO_FPS, signal: r.signal });
      return { clipPath, gate, plan };
    };
    const tp = performance.now();
    let personalClip = await encodePersonal(r.personalHeadMotion ?? false, !!r.frozenMouth, 'personal');
    if (!personalClip.gate.ok) {
      personalClip = await encodePersonal(false, !!r.frozenMouth, 'personal-safe');
      if (!personalClip.gate.ok) throw qualityError(personalClip.gate.problems);
    }
    out.gate = personalClip.gate;
    timings.personal = performance.now() - tp;
    const gif =
      (await fromTemplate) !== null
        ? Promise.resolve()
        : ((out.gifSource = 'own'),
          makeGif({ ffmpeg: this.deps.ffmpeg, input: { kind: 'video', path: personalClip.clipPath }, videoWidth: r.prepared.width, videoHeight: r.prepared.height, texts: r.texts, outPath: out.gifPath, signal: r.signal }));
    // Join: video by stream copy, speech concatenated sample-exact and encoded once.
    const tj = performance.now();
    const audioPath = path.join(r.workDir, 'joined.wav');
    const personalData = personalBytes.subarray(44);
    await fs.writeFile(audioPath, Buffer.concat([wavHeader(personalData.length + sharedPcm.data.length, pcm.sampleRate), personalData, sharedPcm.data]));
    const listPath = path.join(r.workDir, 'join.ffconcat');
    const q = (f: string) => `'${f.replace(/'/g, "'\\''")}'`;
    await fs.writeFile(listPath, `ffconcat version 1.0\nfile ${q(personalClip.clipPath)}\nfile ${q(shared.videoPath)}\n`);
    await runFfmpeg(this.deps.ffmpeg, joinClipsArgs({ listPath, audioPath, durationSec: out.durationSec, outPath: out.videoPath }), { signal: r.signal, timeoutMs: 120_000 });
    timings.join = performance.now() - tj;
    await Promise.all([poster, gif]);
    timings.total = performance.now() - t0;
    return out;
  }

  private sharedAudio(key: string, wavPath: string): Promise<{ sampleRate: number; data: Buffer }> {
    let a = this.sharedPcm.get(key);
    if (!a) {
      a = fs.readFile(wavPath).then((b) => {
        const pcm = parseWav(b);
        return { sampleRate: pcm.sampleRate, data: encodeWav(pcm.samples, pcm.sampleRate).subarray(44) };
      });
      this.sharedPcm.set(key, a);
      a.catch(() => this.sharedPcm.delete(key));
      while (this.sharedPcm.size > 16) this.sharedPcm.delete(this.sharedPcm.keys().next().value!);
    }
    return a;
  }

  /** The GIF template of a shared part for this request's overlay style (caption aside), made on first use. */
  /** A shared part with one overlay style (badge, branding, what the play button keeps clear; not the caption). */
  private styleKey(r: SegmentRequest, key: string): string {
    const brand = r.texts.brand;
    return sha(JSON.stringify({ key, badge: r.texts.badge, keepClear: r.texts.keepClear ?? null, color: brand?.color ?? null, logo: brand?.logo ? sha(brand.logo) : null, w: r.prepared.width, h: r.prepared.height }));
  }

  private gifTemplate(r: SegmentRequest, key: string, shared: SharedSegment): Promise<GifTemplate> {
    const style = this.styleKey(r, key);
    let t = this.gifTemplates.get(style);
    if (!t) {
      t = makeGifTemplate({ ffmpeg: this.deps.ffmpeg, input: { kind: 'video', path: shared.videoPath }, videoWidth: r.prepared.width, videoHeight: r.prepared.height, texts: r.texts, outPath: '' });
      this.gifTemplates.set(style, t);
      t.catch(() => this.gifTemplates.delete(style));
      while (this.gifTemplates.size > 16) this.gifTemplates.delete(this.gifTemplates.keys().next().value!);
    }
    return t;
  }

  /** The personal part's speech, cached on disk by voice + text (re-renders and retries skip the TTS). */
  private async personalSpeech(r: SegmentRequest): Promise<TtsResult> {
    const dir = path.join(this.deps.cacheDir, 'tts');
    await fs.mkdir(dir, { recursive: true });
    const k = sha(JSON.stringify({ voice: r.voiceKey, language: r.language, text: (r.personalSpoken ?? r.personalText).trim() }));
    const wav = path.join(dir, `${k}.wav`);
    const meta = path.join(dir, `${k}.json`);
    if ((await exists(wav)) && (await exists(meta))) {
      const m = JSON.parse(await fs.readFile(meta, 'utf8')) as { durationSec: number; sampleRate: number; marks?: SpeechMark[] };
      return { wavPath: wav, ...m };
    }
    const sdir = await fs.mkdtemp(path.join(r.workDir, 'tts-'));
    const s = await r.speak(r.personalText, sdir);
    await writeAtomic(wav, await fs.readFile(s.wavPath));
    await writeAtomic(meta, JSON.stringify({ durationSec: s.durationSec, sampleRate: s.sampleRate, marks: s.marks }));
    return { ...s, wavPath: wav };
  }

  /** The shared segment: from this process, the local cache, storage, or rendered now (and stored). */
  private shared(r: SegmentRequest, key: string, onRender: () => void): Promise<SharedSegment> {
    let p = this.inflight.get(key);
    if (!p) {
      p = this.loadOrRender(r, key, onRender);
      this.inflight.set(key, p);
      p.catch(() => this.inflight.delete(key));
    }
    return p;
  }

  private async loadOrRender(r: SegmentRequest, key: string, onRender: () => void): Promise<SharedSegment> {
    const dir = path.join(this.deps.cacheDir, 'segments');
    await fs.mkdir(dir, { recursive: true });
    const local = { videoPath: path.join(dir, `${key}.mp4`), wavPath: path.join(dir, `${key}.wav`), meta: path.join(dir, `${key}.json`) };
    const storageKey = (ext: string) => `${r.tenantId}/segments/${key}.${ext}`;
    const readMeta = async () => JSON.parse(await fs.readFile(local.meta, 'utf8')) as { frames: number };
    if ((await exists(local.videoPath)) && (await exists(local.wavPath)) && (await exists(local.meta))) {
      return { videoPath: local.videoPath, wavPath: local.wavPath, frames: (await readMeta()).frames };
    }
    // Another worker may have rendered it: storage holds the same three files.
    const stat = await this.deps.storage.stat(storageKey('json')).catch(() => null);
    if (stat) {
      try {
        const [v, w, m] = await Promise.all(['mp4', 'wav', 'json'].map((e) => this.deps.storage.getBuffer(storageKey(e))));
        await writeAtomic(local.videoPath, v!);
        await writeAtomic(local.wavPath, w!);
        await writeAtomic(local.meta, m!);
        return { videoPath: local.videoPath, wavPath: local.wavPath, frames: (await readMeta()).frames };
      } catch {
        /* incomplete in storage: render it again below */
      }
    }
    onRender();
    const work = await fs.mkdtemp(path.join(r.workDir, 'shared-'));
    const speech = await r.speak(r.sharedText, work);
    const padded = padToFrames(parseWav(await fs.readFile(speech.wavPath)), PHOTO_FPS);
    const wavPath = path.join(work, 'shared.wav');
    await fs.writeFile(wavPath, encodeWav(padded.audio.samples, padded.audio.sampleRate));
    const rig = rigOf(r.prepared);
    const render = async (headMotion: boolean, name: string) => {
      const plan: PlannedFrame[] = planTalking({ prepared: r.prepared, rig, loudnessDb: frameLoudnessDb(padded.audio, PHOTO_FPS), marks: speech.marks, frameCount: padded.frames, headMotion, seed: 7 });
      const videoPath = path.join(work, `${name}.mp4`);
      await encodeClip({ ffmpeg: this.deps.ffmpeg, prepared: r.prepared, frames: plan, fps: PHOTO_FPS, durationSec: padded.frames / PHOTO_FPS, rig, audioPath: null, outPath: videoPath, workDir: work, cacheDir: this.deps.cacheDir, name, gifSeconds: 0, x264Params: X264_PARAMS, signal: r.signal });
      return { videoPath, gate: await checkTalkingVideo({ ffmpeg: this.deps.ffmpeg, videoPath, wavPath, prepared: r.prepared, plan, rig, fps: PHOTO_FPS, signal: r.signal }) };
    };
    let clip = await render(r.headMotion, 'shared');
    if (!clip.gate.ok) {
      clip = await render(false, 'shared-safe');
      if (!clip.gate.ok) throw qualityError(clip.gate.problems);
    }
    const meta = JSON.stringify({ frames: padded.frames, durationSec: padded.frames / PHOTO_FPS, sampleRate: padded.audio.sampleRate, version: SEGMENT_VERSION });
    await this.deps.storage.putFile(storageKey('mp4'), clip.videoPath, 'video/mp4');
    await this.deps.storage.putFile(storageKey('wav'), wavPath, 'audio/wav');
    await this.deps.storage.put(storageKey('json'), Buffer.from(meta), 'application/json');
    await writeAtomic(local.videoPath, await fs.readFile(clip.videoPath));
    await writeAtomic(local.wavPath, await fs.readFile(wavPath));
    await writeAtomic(local.meta, meta);
    return { videoPath: local.videoPath, wavPath: local.wavPath, frames: padded.frames };
  }
}
