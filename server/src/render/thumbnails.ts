import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createCanvas, GlobalFonts, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { parseHexColor, textColorOn, type Rgb } from '../watch/brand-colors';
import type { ThumbnailTexts } from './captions';
import { analyseGif, encodeAnalysed, encodeFirstFrame, estimateGifBytes, type GifAnalysis, type Rect, type RgbClip } from './thumbnails-gif';

/** Poster: 600 px wide JPEG, at most 60 KB (60,000 bytes). */
export const POSTER_WIDTH = 600;
export const POSTER_MAX_BYTES = 60_000;
/** GIF: the first 3 s, up to 10 fps, at most 350 KB (350,000 bytes: email guides want well under 1 MB). */
export const GIF_SECONDS = 3;
export const GIF_MAX_BYTES = 350_000;
const GIF_MAX_FPS = 10;

const FONT_FILES = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', 'MVS Sans Bold'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'MVS Sans'],
] as const;
let fontFamily: string | null = null;

/** Registers Debian's DejaVu Sans (covers Vietnamese) once; falls back to canvas's default font. */
function font(): string {
  if (fontFamily !== null) return fontFamily;
  fontFamily = 'sans-serif';
  for (const [file, alias] of FONT_FILES) {
    if (existsSync(file) && GlobalFonts.registerFromPath(file, alias)) {
      fontFamily = alias;
      break;
    }
  }
  return fontFamily;
}

/** Poster and GIF sizes for a video of width x height (even numbers; GIF 320–480 px wide). */
export function thumbnailSizes(width: number, height: number) {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  const gifWidth = width > height ? 480 : width === height ? 400 : 360;
  return {
    poster: { width: POSTER_WIDTH, height: even((POSTER_WIDTH * height) / width) },
    gif: { width: gifWidth, height: even((gifWidth * height) / width) },
  };
}

function wrap(ctx: SKRSContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}

/**
 * Where things sit on a thumbnail of width x height (shared by the drawing and the tests that look for them).
 * The play button sits in the middle unless that covers `keepClear` (the talking mouth): then just below it,
 * above the caption band, or else just above it.
 */
export function overlayLayout(width: number, height: number, keepClear?: ThumbnailTexts['keepClear']) {
  const unit = Math.min(width, height);
  const badgeSize = Math.max(10, Math.round(unit * 0.034));
  const margin = Math.round(unit * 0.03);
  const badgeHeight = badgeSize * 1.7;
  const r = unit * 0.12;
  let cy = height / 2;
  if (keepClear) {
    const gap = r * 0.15;
    const top = keepClear.y * height - gap;
    const bottom = (keepClear.y + keepClear.h) * height + gap;
    const left = keepClear.x * width;
    const right = (keepClear.x + keepClear.w) * width;
    const clear = (y: number) => y + r <= top || y - r >= bottom || width / 2 + r <= left || width / 2 - r >= right;
    // The caption band (two lines) starts about here; the button stays above it.
    const lowest = height - Math.max(12, Math.round(unit * 0.062)) * 5.1 - r - gap;
    if (!clear(cy)) cy = clear(Math.min(bottom + r, lowest)) ? Math.min(bottom + r, lowest) : clear(lowest) ? lowest : Math.max(margin + badgeHeight + r, top - r);
  }
  return {
    unit,
    play: { cx: width / 2, cy, r },
    badge: { x: margin, y: margin, h: badgeHeight, fontSize: badgeSize },
    /** The logo plate (top right): at most this box, aspect kept. */
    logo: { right: width - margin, y: margin, maxW: Math.round(width * 0.3), maxH: Math.round(badgeHeight * 1.3) },
    accentBar: Math.max(3, Math.round(unit * 0.012)),
  };
}

/**
 * `texts` with the play button kept off the talking mouth: the lips (68-point landmarks 48–67, in video pixels)
 * grown by how far the mouth opens (up to 0.30 of its width, plus a margin).
 */
export function keepingClear(texts: ThumbnailTexts, landmarks: { x: number; y: number }[], videoWidth: number, videoHeight: number): ThumbnailTexts {
  const lips = landmarks.slice(48, 68);
  if (lips.length < 20) return texts;
  const x0 = Math.min(...lips.map((p) => p.x));
  const x1 = Math.max(...lips.map((p) => p.x));
  const y0 = Math.min(...lips.map((p) => p.y));
  const y1 = Math.max(...lips.map((p) => p.y));
  const w = x1 - x0;
  const box = { x: x0 - 0.1 * w, y: y0 - 0.1 * w, w: w * 1.2, h: y1 - y0 + 0.45 * w };
  return { ...texts, keepClear: { x: box.x / videoWidth, y: box.y / videoHeight, w: box.w / videoWidth, h: box.h / videoHeight } };
}

/** A logo scaled to fit its plate, as straight (not premultiplied) RGBA. */
interface LogoRaster {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Decodes and scales the brand logo for a thumbnail of width x height; null when there is none or it does not decode. */
async function logoRaster(texts: ThumbnailTexts, width: number, height: number): Promise<LogoRaster | null> {
  const logo = texts.brand?.logo;
  if (!logo) return null;
  const box = overlayLayout(width, height).logo;
  const pad = Math.round(box.maxH * 0.16);
  try {
    const { data, info } = await sharp(logo)
      .resize(box.maxW - 2 * pad, box.maxH - 2 * pad, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch {
    return null; // a logo that does not decode must not fail the render: the thumbnail goes unbranded
  }
}

const css = ([r, g, b]: Rgb, a = 1) => `rgba(${r},${g},${b},${a})`;

/**
 * The overlay drawn on every poster and GIF frame: caption on a dark band, the play button (in the brand colour
 * when there is one, its triangle in white or dark ink by contrast), the "AI-generated" badge top left, the
 * logo on a white plate top right, and a thin accent bar along the bottom edge.
 */
function overlayCanvas(width: number, height: number, texts: ThumbnailTexts, logo: LogoRaster | null = null) {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  const L = overlayLayout(width, height, texts.keepClear);
  const unit = L.unit;
  const family = font();
  const brand = parseHexColor(texts.brand?.color);
  // Caption band: a gradient so white text reads on any photo.
  const size = Math.max(12, Math.round(unit * 0.062));
  ctx.font = `bold ${size}px "${family}"`;
  const lines = wrap(ctx, texts.caption, width * 0.88);
  const bandTop = height - (lines.length * size * 1.25 + size * 1.6);
  const g = ctx.createLinearGradient(0, bandTop - size, 0, height);
  g.addColorStop(0, 'rgba(0,0,0,0)');
  g.addColorStop(0.35, 'rgba(0,0,0,0.55)');
  g.addColorStop(1, 'rgba(0,0,0,0.75)');
  ctx.fillStyle = g;
  ctx.fillRect(0, bandTop - size, width, height - bandTop + size);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  lines.forEach((l, i) => ctx.fillText(l, width / 2, bandTop + size * (1 + i * 1.25)));
  if (brand) {
    ctx.fillStyle = css(brand);
    ctx.fillRect(0, height - L.accentBar, width, L.accentBar);
  }
  // Play button.
  const { cx, cy, r } = L.play;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fillStyle = brand ? css(brand, 0.92) : 'rgba(0,0,0,0.5)';
  ctx.fill();
  ctx.lineWidth = Math.max(2, unit * 0.012);
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(cx - r * 0.32, cy - r * 0.45);
  ctx.lineTo(cx + r * 0.5, cy);
  ctx.lineTo(cx - r * 0.32, cy + r * 0.45);
  ctx.closePath();
  ctx.fillStyle = brand ? css(textColorOn(brand)) : '#ffffff';
  ctx.fill();
  // AI disclosure badge, top left.
  const bs = L.badge.fontSize;
  ctx.font = `bold ${bs}px "${family}"`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const bw = ctx.measureText(texts.badge).width + bs * 1.2;
  const bh = L.badge.h;
  const m = L.badge.x;
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.beginPath();
  ctx.roundRect(m, m, bw, bh, bh / 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.fillText(texts.badge, m + bs * 0.6, m + bh / 2);
  // Logo on a white plate, top right (dark and light logos both read on any photo).
  if (logo) {
    const pad = Math.round(L.logo.maxH * 0.16);
    const pw = logo.width + 2 * pad;
    const ph = logo.height + 2 * pad;
    const px = L.logo.right - pw;
    ctx.fillStyle = 'rgba(255,255,255,0.92)';
    ctx.beginPath();
    ctx.roundRect(px, L.logo.y, pw, ph, Math.min(ph / 4, 8));
    ctx.fill();
    const lc = createCanvas(logo.width, logo.height);
    lc.getContext('2d').putImageData(new ImageData(logo.data, logo.width, logo.height), 0, 0);
    ctx.drawImage(lc, px + pad, L.logo.y + pad);
  }
  return c;
}

/** A transparent PNG with the play button, the caption on a dark band and the "AI-generated" badge (no logo). */
export function drawOverlay(width: number, height: number, texts: ThumbnailTexts): Buffer {
  return overlayCanvas(width, height, texts).toBuffer('image/png');
}

/** The overlay as premultiplied RGBA pixels (what sharp's raw composite and the GIF compositing take), logo included. */
export async function overlayPixels(width: number, height: number, texts: ThumbnailTexts): Promise<Buffer> {
  return overlayCanvas(width, height, texts, await logoRaster(texts, width, height)).data();
}

const POSTER_QUALITY_MAX = 82;
const POSTER_QUALITY_MIN = 30;

/** Facts about the last thumbnail made (benchmarks and tests read them; renders ignore them). */
export interface PosterReport {
  bytes: number;
  quality: number;
  width: number;
  /** JPEG encodes the quality search needed. */
  encodes: number;
  ms: number;
}


/**
 * mozjpeg's poster size as a share of its size at quality 82, by quality: the same curve within ±4 % on the demo
 * and derived portraits (measured), so one encode at 82 locates the quality that fits.
 */
const SIZE_CURVE: readonly [number, number][] = [[30, 0.34], [40, 0.43], [50, 0.51], [60, 0.6], [70, 0.73], [82, 1]];

function curveAt(q: number): number {
  for (let i = 1; i < SIZE_CURVE.length; i++) {
    const [q0, s0] = SIZE_CURVE[i - 1]!;
    const [q1, s1] = SIZE_CURVE[i]!;
    if (q <= q1 || i === SIZE_CURVE.length - 1) return s0 + ((s1 - s0) * (q - q0)) / (q1 - q0);
  }
  return 1;
}

function curveInverse(share: number): number {
  for (let i = 1; i < SIZE_CURVE.length; i++) {
    const [q0, s0] = SIZE_CURVE[i - 1]!;
    const [q1, s1] = SIZE_CURVE[i]!;
    if (share <= s1 || i === SIZE_CURVE.length - 1) return q0 + ((q1 - q0) * (share - s0)) / (s1 - s0);
  }
  return SIZE_CURVE.at(-1)![0];
}

/**
 * A high JPEG quality in [min, max] whose file fits `budget`, usually in 2 encodes (each is 40–100 ms at 600 px):
 * max first (many photos fit at once), then the quality the size curve predicts, with the curve rescaled through
 * every measured point; stops within 2 quality steps of the best. Null when even `min` is too big.
 */
export async function searchQuality(encode: (q: number) => Promise<Buffer>, budget: number, max = POSTER_QUALITY_MAX, min = POSTER_QUALITY_MIN) {
  const target = budget * 0.98;
  let encodes = 1;
  const top = await encode(max);
  if (top.length <= budget) return { jpeg: top, quality: max, encodes };
  let lo: { q: number; jpeg: Buffer } | null = null;
  let hiQ = max;
  let scale = top.length / curveAt(max);
  let q = Math.max(min, Math.min(max - 1, Math.floor(curveInverse(target / scale))));
  for (let tries = 0; tries < 3; tries++) {
    const jpeg = await encode(q);
    encodes++;
    if (jpeg.length <= budget) lo = { q, jpeg };
    else hiQ = q;
    scale = jpeg.length / curveAt(q);
    const next = Math.max(min, Math.min(hiQ - 1, Math.floor(curveInverse(target / scale))));
    if (lo ? next <= lo.q + 2 : q === min) break;
    q = lo ? next : Math.min(next, q - 2);
  }
  return lo ? { jpeg: lo.jpeg, quality: lo.q, encodes } : null;
}

/**
 * Writes the poster JPEG from a full-size frame (any image sharp reads): the highest quality (≤ 82) that fits
 * 60 KB; a picture too busy to fit even at quality 30 is made narrower until it does.
 */
export async function makePoster(
  frame: Buffer,
  videoWidth: number,
  videoHeight: number,
  texts: ThumbnailTexts,
  outPath: string,
  report?: Partial<PosterReport>,
  /** A quality that fitted a poster of the same picture before (campaign contacts differ only in the caption): tried first, one encode when it fits. */
  qualityHint?: number,
): Promise<number> {
  const t0 = performance.now();
  const { poster } = thumbnailSizes(videoWidth, videoHeight);
  let encodes = 0;
  for (const scale of [1, 0.85, 0.7, 0.55]) {
    const w = Math.round(poster.width * scale);
    const h = Math.max(2, Math.round((poster.height * scale) / 2) * 2);
    const overlay = await overlayPixels(w, h, texts);
    const base = await sharp(frame)
      .resize(w, h, { fit: 'cover' })
      // Raw premultiplied pixels from the canvas: no PNG encode/decode round trip.
      .composite([{ input: overlay, raw: { width: w, height: h, channels: 4, premultiplied: true } }])
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Only the geometry: base.info says "premultiplied" after a composite, which would garble these opaque pixels.
    const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
    const encode = (quality: number) => sharp(base.data, { raw }).jpeg({ quality, mozjpeg: true }).toBuffer();
    const hinted = scale === 1 && qualityHint ? await encode(qualityHint) : null;
    const found = hinted && hinted.length <= POSTER_MAX_BYTES ? { jpeg: hinted, quality: qualityHint!, encodes: 1 } : await searchQuality(encode, POSTER_MAX_BYTES);
    if (!found) {
      encodes += 5;
      continue;
    }
    encodes += found.encodes;
    await fs.writeFile(outPath, found.jpeg);
    Object.assign(report ?? {}, { bytes: found.jpeg.length, quality: found.quality, width: w, encodes, ms: performance.now() - t0 });
    return found.jpeg.length;
  }
  throw new Error('poster does not fit 60 KB even at 55 % size and quality 30');
}

export interface GifJob {
  ffmpeg: string;
  input: { kind: 'concat' | 'video'; path: string };
  videoWidth: number;
  videoHeight: number;
  texts: ThumbnailTexts;
  /** No longer written (the overlay is composited in memory); kept so existing callers compile. */
  overlayPath?: string;
  outPath: string;
  /** At most this many frames per second (10 for talking video; a still needs only a few). */
  fps?: number;
  signal?: AbortSignal;
  /** Filled with what the budget search chose (benchmarks, tests). */
  report?: Partial<GifReport>;
}

/** One way to make the GIF, from the best looking to the smallest. */
export interface GifPlan {
  /** Of the full GIF size (360 px wide for portrait video). */
  scale: number;
  fps: number;
  seconds: number;
  /** Dither strength outside the moving region (see encodeGif). */
  outsideDither: number;
}

/**
 * The budget ladder. Most portraits fit on the first rung; a busy or noisy picture steps down: no dither on the
 * still background first (it costs the most bytes and moves the least), then fewer frames, then fewer pixels,
 * then a shorter loop. The last rung is one frame (a still GIF with the play button), which always fits.
 */
export const GIF_LADDER: readonly GifPlan[] = [
  { scale: 1, fps: 10, seconds: 3, outsideDither: 0.5 },
  { scale: 1, fps: 10, seconds: 3, outsideDither: 0 },
  { scale: 1, fps: 8, seconds: 3, outsideDither: 0 },
  { scale: 1, fps: 6, seconds: 3, outsideDither: 0 },
  { scale: 1, fps: 5, seconds: 3, outsideDither: 0 },
  { scale: 0.9, fps: 5, seconds: 3, outsideDither: 0 },
  { scale: 0.8, fps: 4, seconds: 3, outsideDither: 0 },
  { scale: 0.75, fps: 4, seconds: 2, outsideDither: 0 },
  { scale: 0.75, fps: 1, seconds: 1, outsideDither: 0 },
];

export interface GifReport extends GifPlan {
  bytes: number;
  width: number;
  height: number;
  /** Frames in the file (identical ones merged). */
  frames: number;
  /** Full encodes the search ran (1 = the first estimate was right). */
  encodes: number;
  /** What the cheap estimate predicted for the rung it picked first. */
  estimate: number;
  /** The ladder rung used. */
  rung: number;
  /** Share of the picture that moves (what the fine dither covers). */
  movingShare: number;
  decodeMs: number;
  ms: number;
}

/** ffmpeg: the first `seconds` of the input as raw rgb24 frames at `fps`, scaled to width x height (pure). */
export function gifFramesArgs(o: { input: GifJob['input']; width: number; height: number; seconds: number; fps: number }): string[] {
  const input = o.input.kind === 'concat' ? ['-f', 'concat', '-safe', '0', '-i', o.input.path] : ['-i', o.input.path];
  return [
    '-v', 'error', '-t', String(o.seconds), ...input,
    '-vf', `fps=${o.fps},scale=${o.width}:${o.height}:flags=area,setsar=1,format=rgb24`,
    '-an', '-f', 'rawvideo', '-',
  ];
}

/** Picks frames for a lower frame rate and scales them (sharp, Lanczos); the same clip when nothing changes. */
async function resample(clip: RgbClip, plan: GifPlan, width: number, height: number): Promise<RgbClip> {
  const fps = Math.min(plan.fps, clip.fps);
  const count = Math.max(1, Math.min(Math.ceil(plan.seconds * fps - 1e-6), Math.ceil((clip.frames.length * fps) / clip.fps - 1e-6)));
  const picked = Array.from({ length: count }, (_, j) => clip.frames[Math.min(clip.frames.length - 1, Math.round((j * clip.fps) / fps))]!);
  const frames =
    width === clip.width && height === clip.height
      ? picked
      : await Promise.all(picked.map((f) => sharp(f, { raw: { width: clip.width, height: clip.height, channels: 3 } }).resize(width, height, { kernel: 'lanczos3' }).raw().toBuffer()));
  return { width, height, fps, frames };
}

/** Draws the overlay (premultiplied RGBA) on rgb24 frames: out = frame × (1 − α) + overlay, only where α > 0. */
function compositeAll(frames: Buffer[], overlay: Buffer): Buffer[] {
  const n = overlay.length / 4;
  let count = 0;
  for (let p = 0; p < n; p++) if (overlay[p * 4 + 3]) count++;
  const where = new Int32Array(count);
  for (let p = 0, k = 0; p < n; p++) if (overlay[p * 4 + 3]) where[k++] = p;
  return frames.map((frame) => {
    const out = Buffer.from(frame);
    for (let k = 0; k < count; k++) {
      const p = where[k]!;
      const i = p * 3;
      const j = p * 4;
      const inv = 255 - overlay[j + 3]!;
      out[i] = ((frame[i]! * inv + 127) / 255 + overlay[j]!) | 0;
      out[i + 1] = ((frame[i + 1]! * inv + 127) / 255 + overlay[j + 1]!) | 0;
      out[i + 2] = ((frame[i + 2]! * inv + 127) / 255 + overlay[j + 2]!) | 0;
    }
    return out;
  });
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Resamples the clip for a plan, draws the overlay on every frame and analyses the result (palette, motion). */
async function analysePlan(clip: RgbClip, texts: ThumbnailTexts, plan: GifPlan) {
  const width = even(clip.width * plan.scale);
  const height = even(clip.height * plan.scale);
  const sized = await resample(clip, plan, width, height);
  const overlay = await overlayPixels(width, height, texts);
  return analyseGif({ ...sized, frames: compositeAll(sized.frames, overlay) }, plan.seconds, true);
}

/** Plans that can share one analysis (same pixels, same frames). */
const sameFrames = (a: GifPlan, b: GifPlan, fps: number) => a.scale === b.scale && a.seconds === b.seconds && Math.min(a.fps, fps) === Math.min(b.fps, fps);

/**
 * The GIF that fits `budget`. A cheap estimate of the first rung (one LZW pass over frame 1) predicts every
 * rung's size (frame 1 scales with pixels, the motion also with frames per second and length); the best rung
 * predicted to fit is encoded, and when the real file is still too big the predictions are corrected by the
 * miss and the search steps down, at most twice; the one-frame last rung always fits.
 */
export async function budgetGif(clip: RgbClip, texts: ThumbnailTexts, budget = GIF_MAX_BYTES, ladder: readonly GifPlan[] = GIF_LADDER) {
  const top = ladder[0]!;
  const a0 = await analysePlan(clip, texts, top);
  const withDither = estimateGifBytes(a0, top.outsideDither);
  let flatEstimate: ReturnType<typeof estimateGifBytes> | null = null;
  const flat = () => (flatEstimate ??= top.outsideDither ? estimateGifBytes(a0, 0) : withDither);
  const frameRate = (p: GifPlan) => Math.min(p.fps, clip.fps) * p.seconds;
  let correction = 1;
  const predict = (p: GifPlan) => {
    const e = p.outsideDither > 0 ? withDither : flat();
    const px = (p.scale / top.scale) ** 2;
    return (e.first * px + e.motion * px * Math.min(1, frameRate(p) / frameRate(top))) * correction;
  };
  const last = ladder.length - 1;
  const pick = (from: number) => {
    let r = from;
    while (r < last && predict(ladder[r]!) > budget * 0.95) r++;
    return r;
  };
  let rung = pick(0);
  const estimate = Math.round(predict(ladder[rung]!));
  for (let encodes = 1; ; encodes++) {
    const plan = ladder[rung]!;
    const a = sameFrames(plan, top, clip.fps) ? a0 : await analysePlan(clip, texts, plan);
    const r = encodeAnalysed(a, plan.outsideDither);
    if (r.bytes.length <= budget || rung === last) return { ...r, width: a.width, height: a.height, plan, rung, encodes, estimate };
    correction *= r.bytes.length / predict(plan);
    rung = encodes >= 3 ? last : pick(rung + 1);
  }
}

/** Writes the animated GIF (≤ 3 s, ≤ 350 KB); every frame, the first included, carries the play button, caption and badge. */
export async function makeGif(job: GifJob): Promise<number> {
  const t0 = performance.now();
  const { gif } = thumbnailSizes(job.videoWidth, job.videoHeight);
  const fps = Math.max(1, Math.min(GIF_MAX_FPS, job.fps ?? GIF_MAX_FPS));
  const args = gifFramesArgs({ input: job.input, width: gif.width, height: gif.height, seconds: GIF_SECONDS, fps });
  const { stdout } = await runFfmpeg(job.ffmpeg, args, { signal: job.signal, timeoutMs: 60_000 });
  const frameBytes = gif.width * gif.height * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + frameBytes <= stdout.length; o += frameBytes) frames.push(stdout.subarray(o, o + frameBytes));
  if (!frames.length) throw new Error(`GIF: ffmpeg produced no frames from ${job.input.path}`);
  const decodeMs = performance.now() - t0;
  job.signal?.throwIfAborted();
  const r = await budgetGif({ width: gif.width, height: gif.height, fps, frames }, job.texts);
  await fs.writeFile(job.outPath, r.bytes);
  Object.assign(job.report ?? {}, {
    ...r.plan, bytes: r.bytes.length, width: r.width, height: r.height, frames: r.frames, encodes: r.encodes, rung: r.rung,
    movingShare: r.movingShare, estimate: r.estimate, decodeMs, ms: performance.now() - t0,
  } satisfies GifReport);
  return r.bytes.length;
}

/**
 * A GIF made once and re-captioned per contact (campaign segments): the plan the budget search chose, frame 1
 * before its overlay, the analysis (palette, dither region) and the encoded bytes of every later frame. Later
 * frames are only the rectangles that change (the mouth, the eyes); when a contact's caption lies outside all
 * of them, that contact's GIF is a new frame 1 in front of the very same later frames.
 */
export interface GifTemplate {
  width: number;
  height: number;
  plan: GifPlan;
  base: Buffer;
  analysis: GifAnalysis;
  firstDelay: number;
  tail: Uint8Array;
  overlay: Buffer;
  /** The union of the later frames' changed rectangles (null: a still GIF). */
  movingBox: Rect | null;
  bytes: number;
}

/** Decodes the first seconds of `job.input`, runs the budget search with `job.texts` and keeps what gifFromTemplate needs. */
export async function makeGifTemplate(job: GifJob): Promise<GifTemplate> {
  const { gif } = thumbnailSizes(job.videoWidth, job.videoHeight);
  const fps = Math.max(1, Math.min(GIF_MAX_FPS, job.fps ?? GIF_MAX_FPS));
  const { stdout } = await runFfmpeg(job.ffmpeg, gifFramesArgs({ input: job.input, width: gif.width, height: gif.height, seconds: GIF_SECONDS, fps }), { signal: job.signal, timeoutMs: 60_000 });
  const frameBytes = gif.width * gif.height * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + frameBytes <= stdout.length; o += frameBytes) frames.push(stdout.subarray(o, o + frameBytes));
  if (!frames.length) throw new Error(`GIF: ffmpeg produced no frames from ${job.input.path}`);
  const clip: RgbClip = { width: gif.width, height: gif.height, fps, frames };
  const { plan } = await budgetGif({ ...clip, frames: frames.map((f) => Buffer.from(f)) }, job.texts);
  const width = even(clip.width * plan.scale);
  const height = even(clip.height * plan.scale);
  const sized = await resample(clip, plan, width, height);
  const base = Buffer.from(sized.frames[0]!);
  const overlay = await overlayPixels(width, height, job.texts);
  const analysis = analyseGif({ ...sized, frames: compositeAll(sized.frames, overlay) }, plan.seconds, true);
  const r = encodeAnalysed(analysis, plan.outsideDither);
  return { width, height, plan, base, analysis, firstDelay: r.firstDelay, tail: r.bytes.slice(r.firstEnd), overlay, movingBox: analysis.movingBox, bytes: r.bytes.length };
}

/**
 * Whether two RGBA overlays differ at any pixel of `region` (the GIF's moving pixels, dilated): later frames
 * repaint only moving pixels, so a caption that differs elsewhere stays as frame 1 drew it.
 */
function differsWithin(a: Buffer, b: Buffer, w: number, region: Uint8Array): boolean {
  const rowBytes = w * 4;
  for (let y = 0, o = 0; o < a.length; y++, o += rowBytes) {
    if (a.compare(b, o, o + rowBytes, o, o + rowBytes) === 0) continue;
    for (let x = 0, i = o, p = y * w; x < w; x++, i += 4, p++) {
      if (region[p] && (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3])) return true;
    }
  }
  return false;
}

/**
 * Writes the template's GIF with `texts` drawn on it (a contact's caption), or returns null when that cannot be
 * done by swapping frame 1 — the new overlay differs from the template's where pixels move, or the file would exceed the
 * budget — and the caller makes the GIF in full instead.
 */
export async function gifFromTemplate(t: GifTemplate, texts: ThumbnailTexts, outPath: string, budget = GIF_MAX_BYTES): Promise<number | null> {
  const overlay = await overlayPixels(t.width, t.height, texts);
  if (differsWithin(overlay, t.overlay, t.width, t.analysis.region)) return null;
  const [frame] = compositeAll([t.base], overlay);
  const head = encodeFirstFrame(t.analysis, frame!, t.plan.outsideDither, t.firstDelay);
  if (head.length + t.tail.length > budget) return null;
  const bytes = Buffer.concat([head, t.tail]);
  await fs.writeFile(outPath, bytes);
  return bytes.length;
}
