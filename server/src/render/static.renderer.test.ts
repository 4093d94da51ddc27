import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real TTS, ffmpeg encodes and frame decoding: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000 });
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import { probeMedia } from '../media/probe';
import { thumbnailTexts } from './captions';
import { FORMATS } from './renderer';
import { renderStill } from './static.renderer';
import { GIF_MAX_BYTES, POSTER_MAX_BYTES } from './thumbnails';

const bins = resolveBinaries(process.env);
const PHOTO = path.resolve(__dirname, '../../test/fixtures/faces/portrait-astronaut.png');
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'static-test-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function render(format: keyof typeof FORMATS, language: 'en' | 'vi', script: string) {
  const workDir = await fs.mkdtemp(path.join(dir, `${format}-`));
  const speech = await new EspeakTts(bins.espeak).synthesize(script, { language }, workDir);
  const out = await renderStill({
    ffmpeg: bins.ffmpeg!,
    photo: await fs.readFile(PHOTO),
    speech,
    ...FORMATS[format],
    texts: thumbnailTexts(language, 'Priya'),
    workDir,
  });
  return { speech, out, info: await probeMedia(out.videoPath, bins.ffprobe!) };
}

describe('static renderer', () => {
  it('renders a Vietnamese script to a 720x1280 H.264/AAC faststart MP4 as long as the speech', async () => {
    const { speech, out, info } = await render('portrait', 'vi', 'Xin chào Priya! Đây là video ngắn dành cho bạn.');
    expect(info).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', width: 720, height: 1280, faststart: true });
    expect(Math.abs(info.durationSec - speech.durationSec)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(info.videoDurationSec! - speech.durationSec)).toBeLessThanOrEqual(0.2);
    expect(out).toMatchObject({ width: 720, height: 1280, durationSec: speech.durationSec });
  });

  it('writes a 600 px poster under 60 KB and a GIF under 350 KB whose first frame is not blank', async () => {
    const { out } = await render('portrait', 'en', 'Hi Priya, a quick hello.');
    const poster = await fs.readFile(out.posterPath);
    expect(poster.length).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    expect(await sharp(poster).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 1066 });
    const gif = await fs.readFile(out.gifPath);
    expect(gif.length).toBeLessThanOrEqual(GIF_MAX_BYTES);
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta).toMatchObject({ format: 'gif', width: 360 });
    expect(meta.pages).toBe(1); // a still: its identical frames are merged into one
    const first = await sharp(gif, { page: 0 }).greyscale().stats();
    expect(first.channels[0]!.stdev).toBeGreaterThan(20);
  });

  it.each([
    { format: 'landscape' as const, w: 1280, h: 720 },
    { format: 'square' as const, w: 1080, h: 1080 },
  ])('renders the $format format at $w x $h', async ({ format, w, h }) => {
    const { info, out } = await render(format, 'en', 'Short one.');
    expect(info).toMatchObject({ width: w, height: h, videoCodec: 'h264', faststart: true });
    expect((await sharp(out.posterPath).metadata()).width).toBe(600);
  });
});
