import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { gifArgs } from '../media/ffmpeg-args';
import { runFfmpeg } from '../media/ffmpeg.runner';
import type { ThumbnailTexts } from './captions';

/** Poster: 600 px wide JPEG, at most 60 KB (60,000 bytes). */
export const POSTER_WIDTH = 600;
export const POSTER_MAX_BYTES = 60_000;
/** GIF: the first 3 s, 10 fps, at most 1 MB. */
export const GIF_SECONDS = 3;
export const GIF_MAX_BYTES = 1024 * 1024;

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

/** A transparent PNG with the play button, the caption on a dark band and the "AI-generated" badge. */
export function drawOverlay(width: number, height: number, texts: ThumbnailTexts): Buffer {
  return overlayCanvas(width, height, texts).toBuffer('image/png');
}

function overlayCanvas(width: number, height: number, texts: ThumbnailTexts) {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  const unit = Math.min(width, height);
  const family = font();
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
  // Play button.
  const r = unit * 0.12;
  const cx = width / 2;
  const cy = height / 2;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(0,0,0,0.5)';
  ctx.fill();
  ctx.lineWidth = Math.max(2, unit * 0.012);
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(cx - r * 0.32, cy - r * 0.45);
  ctx.lineTo(cx + r * 0.5, cy);
  ctx.lineTo(cx - r * 0.32, cy + r * 0.45);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  // AI disclosure badge, top left.
  const bs = Math.max(10, Math.round(unit * 0.034));
  ctx.font = `bold ${bs}px "${family}"`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const bw = ctx.measureText(texts.badge).width + bs * 1.2;
  const bh = bs * 1.7;
  const m = Math.round(unit * 0.03);
  ctx.fillStyle = 'rgba(0,0,0,0.6)';
  ctx.beginPath();
  ctx.roundRect(m, m, bw, bh, bh / 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.fillText(texts.badge, m + bs * 0.6, m + bh / 2);
  return c;
}

/** Writes the poster JPEG from a full-size frame (any image sharp reads); lowers quality until it fits 60 KB. */
export async function makePoster(frame: Buffer, videoWidth: number, videoHeight: number, texts: ThumbnailTexts, outPath: string): Promise<number> {
  const { poster } = thumbnailSizes(videoWidth, videoHeight);
  const base = await sharp(frame)
    .resize(poster.width, poster.height, { fit: 'cover' })
    // Raw premultiplied pixels from the canvas: no PNG encode/decode round trip.
    .composite([{ input: overlayCanvas(poster.width, poster.height, texts).data(), raw: { width: poster.width, height: poster.height, channels: 4, premultiplied: true } }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  let jpeg: Buffer = Buffer.alloc(0);
  for (const quality of [70, 60, 50, 40, 30]) {
    jpeg = await sharp(base.data, { raw: base.info }).jpeg({ quality, mozjpeg: true }).toBuffer();
    if (jpeg.length <= POSTER_MAX_BYTES) break;
  }
  await fs.writeFile(outPath, jpeg);
  return jpeg.length;
}

export interface GifJob {
  ffmpeg: string;
  input: { kind: 'concat' | 'video'; path: string };
  videoWidth: number;
  videoHeight: number;
  texts: ThumbnailTexts;
  /** Where the overlay PNG is written (next to the GIF). */
  overlayPath: string;
  outPath: string;
  /** Frames per second: 10 for talking video; a still needs only a few. */
  fps?: number;
  signal?: AbortSignal;
}

/** Writes the animated GIF (≤ 3 s); every frame, the first included, carries the play button and caption. */
export async function makeGif(job: GifJob): Promise<number> {
  const { gif } = thumbnailSizes(job.videoWidth, job.videoHeight);
  await fs.writeFile(job.overlayPath, drawOverlay(gif.width, gif.height, job.texts));
  const args = gifArgs({ input: job.input, overlayPath: job.overlayPath, width: gif.width, height: gif.height, seconds: GIF_SECONDS, fps: job.fps, outPath: job.outPath });
  await runFfmpeg(job.ffmpeg, args, { signal: job.signal, timeoutMs: 60_000 });
  return (await fs.stat(job.outPath)).size;
}
