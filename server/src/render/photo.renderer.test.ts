import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real TTS, ffmpeg encodes and frame decoding: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 240_000 });
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import { probeMedia } from '../media/probe';
import type { TtsResult } from '../media/tts';
import { encodeWav, parseWav } from '../media/wav';
import { thumbnailTexts } from './captions';
import { decodeGray, frameRms, grayImage, pearson, regionDiff, scaleRegion } from './mouth-motion.fixture';
import { renderTalking } from './photo.renderer';
import { decodeQuarterGray } from './quality-gate';
import type { PreparedAvatar } from './prepared';
import { analyzePhoto, buildFormatSprites } from './prepare/prepare-photo';
import { syntheticAvatar } from './synthetic-avatar.fixture';
import { GIF_MAX_BYTES, POSTER_MAX_BYTES } from './thumbnails';

const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
let dir: string;
let cacheDir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photo-test-'));
  cacheDir = path.join(dir, 'cache');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const tts = new EspeakTts(bins.espeak);
async function speak(text: string, workDir: string, language = 'en'): Promise<TtsResult> {
  return tts.synthesize(text, { language }, workDir);
}

/** Speech, one second of silence, speech: a real pause to check that the mouth rests. */
async function speechWithPause(workDir: string): Promise<TtsResult> {
  const a = await speak('Hello Priya, thanks for the quick reply about the budget.', await fs.mkdtemp(path.join(workDir, 'a-')));
  const b = await speak('Let me show you the plan for next week.', await fs.mkdtemp(path.join(workDir, 'b-')));
  const wa = parseWav(await fs.readFile(a.wavPath));
  const wb = parseWav(await fs.readFile(b.wavPath));
  const gap = wa.sampleRate;
  const joined = new Float32Array(wa.samples.length + gap + wb.samples.length);
  joined.set(wa.samples, 0);
  joined.set(wb.samples, wa.samples.length + gap);
  const wavPath = path.join(workDir, 'joined.wav');
  await fs.writeFile(wavPath, encodeWav(joined, wa.sampleRate));
  const shift = (wa.durationSec + 1) * 1000;
  const marks = [...(a.marks ?? []), ...(b.marks ?? []).map((m) => ({ ...m, startMs: m.startMs + shift, endMs: m.endMs + shift }))];
  return { wavPath, durationSec: joined.length / wa.sampleRate, sampleRate: wa.sampleRate, marks };
}

/** Lips only (head motion off, the video option `head_motion: false`): everything but mouth and eyes stays still. */
async function render(prepared: PreparedAvatar, speech: TtsResult, workDir: string, decodeForGate = false) {
  const out = await renderTalking({ ffmpeg, prepared, speech, texts: thumbnailTexts('en', 'Priya'), workDir, cacheDir, headMotion: false, decodeForGate });
  return { out, info: await probeMedia(out.videoPath, bins.ffprobe!) };
}

/** Per-frame mouth activity (difference from the resting mouth) and face stability outside mouth and eyes. */
async function measure(prepared: PreparedAvatar, video: string) {
  const s = 0.25;
  const w = Math.round(prepared.width * s);
  const h = Math.round(prepared.height * s);
  const gray = await decodeGray(ffmpeg, video, w, h);
  const rest = await grayImage(prepared.mouth[0]!, w, h);
  const mouth = scaleRegion(prepared.mouthBox, s);
  const top = { x: 0, y: 0, w, h: Math.floor(h * 0.25) };
  const below = { x: 0, y: mouth.y + mouth.h + 4, w, h: h - (mouth.y + mouth.h + 4) };
  const activity = gray.frames.map((f) => regionDiff(f, rest, w, mouth));
  const faceChange = gray.frames.slice(1).map((f, i) => Math.max(regionDiff(f, gray.frames[i]!, w, top), regionDiff(f, gray.frames[i]!, w, below)));
  const mouthChange = gray.frames.slice(1).map((f, i) => regionDiff(f, gray.frames[i]!, w, mouth));
  return { activity, faceChange, mouthChange, w, h, gray };
}

describe('photo renderer on a real MP4', () => {
  it('moves the mouth with the loudness (r ≥ 0.5), rests it in pauses and keeps the rest of the face still', async () => {
    const workDir = await fs.mkdtemp(path.join(dir, 'motion-'));
    const prepared = await syntheticAvatar();
    const speech = await speechWithPause(workDir);
    const { info, out } = await render(prepared, speech, workDir, true);
    const { activity, faceChange, mouthChange } = await measure(prepared, path.join(workDir, 'video.mp4'));
    // The quality gate's frames, decoded from the encoder's tee during the encode, are the MP4's own frames.
    const fromFile = await decodeQuarterGray(ffmpeg, out.videoPath, prepared.width, prepared.height, 25);
    expect(out.gateFrames!.frames.length).toBe(fromFile.frames.length);
    expect(out.gateFrames!.frames.every((f, i) => Buffer.compare(f, fromFile.frames[i]!) === 0)).toBe(true);
    const rms = await frameRms(speech.wavPath);
    const n = Math.min(activity.length, rms.length);
    const r = pearson(activity.slice(0, n), rms.slice(0, n));
    expect(r).toBeGreaterThanOrEqual(0.5);
    // The inserted second of silence (minus a frame of margin each side): the mouth stays at rest.
    const silent = rms.map((v, i) => (v === 0 && rms[i - 1] === 0 && rms[i + 1] === 0 && rms[i - 2] === 0 && rms[i + 2] === 0 ? i : -1)).filter((i) => i >= 0);
    expect(silent.length).toBeGreaterThanOrEqual(15);
    // At rest = as close to the resting sprite as the video ever gets (scaling/colour conversion leave ~2 levels).
    const floor = Math.min(...activity);
    for (const i of silent) {
      expect(activity[i]! - floor, `mouth at rest in silent frame ${i}`).toBeLessThan(0.5);
      expect(mouthChange[i - 1]!, `mouth still in silent frame ${i}`).toBeLessThan(0.3);
    }
    expect(Math.max(...activity) - floor).toBeGreaterThan(6);
    expect(Math.max(...faceChange)).toBeLessThan(1.5);
    expect(info).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', width: 720, height: 1280, faststart: true });
    expect(Math.abs(info.durationSec - speech.durationSec)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(info.videoDurationSec! - speech.durationSec)).toBeLessThanOrEqual(0.2);
  });

  it('moves the lips of the real portrait (prepared by face detection and sprites) with the loudness', async () => {
    const workDir = await fs.mkdtemp(path.join(dir, 'real-'));
    const photo = await fs.readFile(path.resolve(__dirname, '../../test/fixtures/faces/portrait-astronaut.png'));
    const { prepared } = await buildFormatSprites(photo, await analyzePhoto(photo), 'portrait');
    const speech = await speechWithPause(workDir);
    await render(prepared, speech, workDir);
    const { activity, faceChange } = await measure(prepared, path.join(workDir, 'video.mp4'));
    const rms = await frameRms(speech.wavPath);
    const n = Math.min(activity.length, rms.length);
    const r = pearson(activity.slice(0, n), rms.slice(0, n));
    expect(r).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...faceChange)).toBeLessThan(1.5);
  });

  it('closes the lips in the video at each m and p of "mama papa"', async () => {
    const workDir = await fs.mkdtemp(path.join(dir, 'mama-'));
    const prepared = await syntheticAvatar();
    const speech = await speak('mama papa, mama papa.', workDir);
    await render(prepared, speech, workDir);
    const s = 0.25;
    const { w, h, gray } = await measure(prepared, path.join(workDir, 'video.mp4'));
    const mouth = scaleRegion(prepared.mouthBox, s);
    const refs = await Promise.all([prepared.closed, ...prepared.mouth.slice(1), prepared.rounded].map((j) => grayImage(j, w, h)));
    const looksClosed = (f: Buffer) => {
      const d = refs.map((r) => regionDiff(f, r, w, mouth));
      return d.indexOf(Math.min(...d)) === 0;
    };
    const bilabials = speech.marks!.filter((m) => m.kind === 'phoneme' && /^[mp]$/.test(m.value));
    expect(bilabials.length).toBe(8);
    for (const m of bilabials) {
      const a = Math.floor((m.startMs / 1000) * 25) - 1;
      const b = Math.ceil((m.endMs / 1000) * 25) + 1;
      const closed = gray.frames.slice(Math.max(0, a), b).some(looksClosed);
      expect(closed, `lips closed near ${m.value} at ${m.startMs} ms`).toBe(true);
    }
  });

  it.each([
    { width: 1280, height: 720, gif: 480 },
    { width: 1080, height: 1080, gif: 400 },
  ])('renders $width x $height with a poster ≤ 60 KB and a GIF ≤ 1 MB whose first frame is not blank', async ({ width, height, gif }) => {
    const workDir = await fs.mkdtemp(path.join(dir, `${width}-`));
    const prepared = await syntheticAvatar(width, height);
    const speech = await speak('A short landscape or square video.', workDir);
    const { out, info } = await render(prepared, speech, workDir);
    expect(info).toMatchObject({ width, height, videoCodec: 'h264', audioCodec: 'aac', faststart: true });
    expect(Math.abs(info.videoDurationSec! - speech.durationSec)).toBeLessThanOrEqual(0.2);
    const poster = await fs.readFile(out.posterPath);
    expect(poster.length).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    expect((await sharp(poster).metadata()).width).toBe(600);
    const g = await fs.readFile(out.gifPath);
    expect(g.length).toBeLessThanOrEqual(GIF_MAX_BYTES);
    expect((await sharp(g).metadata()).width).toBe(gif);
    expect((await sharp(g, { page: 0 }).greyscale().stats()).channels[0]!.stdev).toBeGreaterThan(15);
  });
});
