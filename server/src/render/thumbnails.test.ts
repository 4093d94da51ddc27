import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveBinaries } from '../media/binaries';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { parseHexColor, textColorOn } from '../watch/brand-colors';
import { thumbnailTexts, type ThumbnailTexts } from './captions';
import { renderLocally } from './local-render';
import { budgetGif, GIF_LADDER, GIF_MAX_BYTES, gifFramesArgs, keepingClear, makeGif, makePoster, overlayLayout, overlayPixels, POSTER_MAX_BYTES } from './thumbnails';
import { portraitSet, type Portrait } from './thumbnails-portraits.fixture';

// Face detection, TTS and ffmpeg per portrait: a few seconds each on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
const SCRIPT = 'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent.';
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'thumbs-test-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** Decodes every frame of a GIF with ffmpeg (which applies offsets, transparency and disposal) as rgb24. */
async function gifFrames(file: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await runFfmpeg(ffmpeg, ['-v', 'error', '-i', file, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  const n = width * height * 3;
  return Array.from({ length: Math.floor(stdout.length / n) }, (_, i) => stdout.subarray(i * n, (i + 1) * n));
}

const luma = (px: Buffer | Uint8Array, i: number) => 0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!;

/**
 * Checks the overlay's marks in a decoded picture: every fully opaque white overlay pixel (play triangle and
 * ring, caption and badge letters) is near white, and every pixel of the badge's dark pill is dark. Returns the
 * share of each that passed, so a failure says which mark is missing.
 */
async function overlayVisible(rgb: Buffer, width: number, height: number, texts: ThumbnailTexts) {
  const ov = await overlayPixels(width, height, texts);
  const L = overlayLayout(width, height, texts.keepClear);
  let white = 0;
  let whiteOk = 0;
  let pill = 0;
  let pillOk = 0;
  let triangle = 0;
  let triangleOk = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const a = ov[p * 4 + 3]!;
      const isWhite = a === 255 && ov[p * 4]! === 255 && ov[p * 4 + 1]! === 255 && ov[p * 4 + 2]! === 255;
      const inBadge = y >= L.badge.y + 2 && y <= L.badge.y + L.badge.h - 2 && x >= L.badge.x + 2 && x < width / 2;
      const inPlay = (x - L.play.cx) ** 2 + (y - L.play.cy) ** 2 < (L.play.r * 0.3) ** 2;
      if (isWhite) {
        white++;
        if (luma(rgb, p * 3) > 200) whiteOk++;
        if (inPlay) {
          triangle++;
          if (luma(rgb, p * 3) > 200) triangleOk++;
        }
      } else if (inBadge && a > 140 && a < 170 && ov[p * 4]! === 0) {
        // The pill is black at 60 %: whatever the photo, the result is at most 40 % as bright (plus GIF error).
        pill++;
        if (luma(rgb, p * 3) < 0.4 * 255 + 25) pillOk++;
      }
    }
  }
  return { white: whiteOk / white, pill: pill ? pillOk / pill : 0, triangle: triangle ? triangleOk / triangle : 0, counts: { white, pill, triangle } };
}

function psnr(a: Buffer, b: Buffer): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (se / a.length || 1e-9));
}

describe('thumbnails within budget on every test portrait', async () => {
  // noise-wall (random noise, beyond any photo) stays in bench:thumbs only: it proves nothing the grain case does not, at 10 s.
  const portraits = (await portraitSet()).filter((p) => p.name !== 'noise-wall');
  // One short talking-photo render per portrait (the real renderer, which makes the poster and GIF), shared by the tests.
  const renders = new Map<string, ReturnType<typeof renderLocally>>();
  const render = (p: Portrait) => {
    if (!renders.has(p.name)) {
      renders.set(p.name, fs.mkdtemp(path.join(dir, `${p.name}-`)).then((workDir) =>
        renderLocally({ binaries: bins, photo: p.photo, script: SCRIPT, language: 'en', renderer: 'photo', format: 'portrait', workDir, cacheDir: path.join(dir, 'cache'), recipientName: 'Priya' }),
      ));
    }
    return renders.get(p.name)!;
  };

  it.each(portraits.map((p) => [p.name, p] as [string, Portrait]))('%s: poster ≤ 60 KB, GIF ≤ 350 KB, first frame shows badge and play button', async (_name, portrait) => {
    const r = await render(portrait);
    expect(r.renderer).toBe('photo');
    // What the photo renderer draws: the caption, the badge, and the play button kept off the talking mouth.
    const texts = keepingClear(thumbnailTexts('en', 'Priya'), r.prepared!.landmarks, 720, 1280);
    const gif = await fs.readFile(r.output.gifPath);
    const poster = await fs.readFile(r.output.posterPath);
    expect(poster.length).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    expect(gif.length).toBeLessThanOrEqual(GIF_MAX_BYTES);

    const meta = await sharp(gif, { animated: true }).metadata();
    const gw = meta.width!;
    const gh = meta.pageHeight ?? meta.height!;
    expect((meta.delay ?? []).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(900); // at least a 1 s loop (3 s unless the budget cut it)
    const frames = await gifFrames(r.output.gifPath, gw, gh);
    // The play button does not hide the lips (landmarks 48–67).
    const lips = r.prepared!.landmarks.slice(48, 68).map((p) => ({ x: (p.x * gw) / 720, y: (p.y * gh) / 1280 }));
    const play = overlayLayout(gw, gh, texts.keepClear).play;
    expect(lips.every((p) => Math.hypot(p.x - play.cx, p.y - play.cy) > play.r)).toBe(true);
    const first = await overlayVisible(frames[0]!, gw, gh, texts);
    expect(first.white, JSON.stringify(first)).toBeGreaterThan(0.97);
    expect(first.triangle).toBeGreaterThan(0.97);
    expect(first.pill).toBeGreaterThan(0.97);
    // The mouth moves: some later frame differs from the first.
    if (meta.pages! > 1) expect(frames.some((f) => !f.equals(frames[0]!))).toBe(true);

    const pm = await sharp(poster).metadata();
    const prgb = await sharp(poster).removeAlpha().raw().toBuffer();
    const onPoster = await overlayVisible(prgb, pm.width!, pm.height!, texts);
    expect(onPoster.white).toBeGreaterThan(0.95);
    expect(onPoster.pill).toBeGreaterThan(0.97);
  });

  it('rebuilds every source frame faithfully from the frame-differenced GIF (offsets, transparency, timing)', async () => {
    const r = await render(portraits[0]!);
    const workDir = path.dirname(r.output.videoPath);
    const texts = thumbnailTexts('en');
    const { stdout } = await runFfmpeg(ffmpeg, gifFramesArgs({ input: { kind: 'concat', path: path.join(workDir, 'frames.ffconcat') }, width: 360, height: 640, seconds: 3, fps: 10 }));
    const n = 360 * 640 * 3;
    const clip = { width: 360, height: 640, fps: 10, frames: Array.from({ length: stdout.length / n }, (_, k) => stdout.subarray(k * n, (k + 1) * n)) };
    expect(clip.frames.length).toBe(30);
    const g = await budgetGif(clip, texts, Infinity); // the first rung, whatever its size: this checks the encoder
    expect(g).toMatchObject({ rung: 0, encodes: 1, width: 360, height: 640 });
    const out = path.join(workDir, 'check.gif');
    await fs.writeFile(out, g.bytes);
    // What every GIF frame must show: the source frame under the same overlay.
    const ov = await overlayPixels(360, 640, texts);
    const source = clip.frames.map((src) => {
      const f = Buffer.from(src);
      for (let p = 0; p < 360 * 640; p++) for (let c = 0; c < 3; c++) f[p * 3 + c] = Math.round((f[p * 3 + c]! * (255 - ov[p * 4 + 3]!)) / 255 + ov[p * 4 + c]!);
      return f;
    });
    // Decode at a constant 10 fps, so merged (identical) frames come back as the frames they stand for.
    const { stdout: decoded } = await runFfmpeg(ffmpeg, ['-v', 'error', '-i', out, '-vf', 'fps=10', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const back = Array.from({ length: Math.floor(decoded.length / n) }, (_, k) => decoded.subarray(k * n, (k + 1) * n));
    expect(back.length).toBe(30);
    expect(g.frames).toBeLessThan(30); // some frames were identical and merged
    const worst = Math.min(...source.map((f, k) => psnr(f, back[k]!)));
    expect(worst).toBeGreaterThan(28); // palette and dither error only; a misplaced or missing patch drops far below
  });

  it('steps down the ladder to fit a tighter budget, with at most two retries', async () => {
    const r = await render(portraits.find((p) => p.name === 'grain') ?? portraits[0]!);
    const workDir = path.dirname(r.output.videoPath);
    const { stdout } = await runFfmpeg(ffmpeg, gifFramesArgs({ input: { kind: 'concat', path: path.join(workDir, 'frames.ffconcat') }, width: 360, height: 640, seconds: 3, fps: 10 }));
    const n = 360 * 640 * 3;
    const clip = { width: 360, height: 640, fps: 10, frames: Array.from({ length: stdout.length / n }, (_, k) => stdout.subarray(k * n, (k + 1) * n)) };
    for (const budget of [200_000, 120_000]) {
      const g = await budgetGif(clip, thumbnailTexts('en'), budget);
      expect(g.bytes.length).toBeLessThanOrEqual(budget);
      expect(g.rung).toBeGreaterThan(0);
      expect(g.encodes).toBeLessThanOrEqual(3);
    }
    // The last rung is a single frame and fits even a budget no animation can meet.
    const still = await budgetGif(clip, thumbnailTexts('en'), 60_000);
    expect(still.rung).toBe(GIF_LADDER.length - 1);
    expect(still.frames).toBe(1);
  });

  it('brands the poster and GIF: accent-coloured play button with a readable triangle, logo plate top right', async () => {
    const r = await render(portraits[0]!);
    const workDir = path.dirname(r.output.videoPath);
    const color = '#E4002B';
    const logo = await sharp({ create: { width: 240, height: 80, channels: 4, background: { r: 0, g: 90, b: 200, alpha: 1 } } }).png().toBuffer();
    const texts = thumbnailTexts('vi', 'Lan', { color, logo });
    const gifPath = path.join(workDir, 'brand.gif');
    const posterPath = path.join(workDir, 'brand.jpg');
    await makeGif({ ffmpeg, input: { kind: 'concat', path: path.join(workDir, 'frames.ffconcat') }, videoWidth: 720, videoHeight: 1280, texts, outPath: gifPath });
    await makePoster(r.prepared!.mouth[0]!, 720, 1280, texts, posterPath);
    expect((await fs.stat(gifPath)).size).toBeLessThanOrEqual(GIF_MAX_BYTES);
    expect((await fs.stat(posterPath)).size).toBeLessThanOrEqual(POSTER_MAX_BYTES);
    const brand = parseHexColor(color)!;
    const check = (rgb: Buffer, w: number, h: number) => {
      const L = overlayLayout(w, h);
      const at = (x: number, y: number) => [...rgb.subarray((Math.round(y) * w + Math.round(x)) * 3, (Math.round(y) * w + Math.round(x)) * 3 + 3)];
      const near = (px: number[], want: number[], tol: number) => px.every((v, i) => Math.abs(v - want[i]!) <= tol);
      // Inside the disc, left of the triangle: the brand colour (92 % over the photo).
      expect(near(at(L.play.cx - L.play.r * 0.6, L.play.cy), brand, 40)).toBe(true);
      // The triangle: white or ink, whichever reads on the accent (white on this red).
      expect(near(at(L.play.cx + L.play.r * 0.05, L.play.cy), textColorOn(brand), 40)).toBe(true);
      // The accent bar along the bottom edge.
      expect(near(at(w / 2, h - 1), brand, 40)).toBe(true);
      // The logo (blue) on its white plate, top right.
      expect(near(at(L.logo.right - 2, L.logo.y + L.logo.maxH / 2), [255, 255, 255], 30)).toBe(true);
      expect(near(at(L.logo.right - L.logo.maxW * 0.25, L.logo.y + L.logo.maxH / 2), [0, 90, 200], 45)).toBe(true);
    };
    const gm = await sharp(gifPath).metadata();
    check((await gifFrames(gifPath, gm.width!, gm.pageHeight ?? gm.height!))[0]!, gm.width!, gm.pageHeight ?? gm.height!);
    const pm = await sharp(posterPath).metadata();
    check(await sharp(posterPath).removeAlpha().raw().toBuffer(), pm.width!, pm.height!);
  });
});
