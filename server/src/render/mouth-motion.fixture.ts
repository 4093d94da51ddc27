import fs from 'node:fs/promises';
import sharp from 'sharp';
import { grayFramesArgs } from '../media/ffmpeg-args';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { frameLoudnessDb, parseWav } from '../media/wav';

/** Test helpers that measure motion in a real MP4 (decoded by ffmpeg to raw gray frames). */
export interface GrayVideo {
  width: number;
  height: number;
  frames: Buffer[];
}

export async function decodeGray(ffmpeg: string, video: string, width: number, height: number, fps = 25): Promise<GrayVideo> {
  const { stdout } = await runFfmpeg(ffmpeg, grayFramesArgs(video, width, height, fps), { timeoutMs: 120_000 });
  const size = width * height;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) frames.push(stdout.subarray(o, o + size));
  return { width, height, frames };
}

/** A JPEG sprite scaled to the gray video's size (the reference a frame is compared with). */
export async function grayImage(jpeg: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(jpeg).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();
}

export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Mean absolute difference of two gray images inside a region. */
export function regionDiff(a: Buffer, b: Buffer, width: number, r: Region): number {
  let sum = 0;
  for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) sum += Math.abs(a[y * width + x]! - b[y * width + x]!);
  return sum / (r.w * r.h);
}

export function scaleRegion(r: Region, factor: number): Region {
  return { x: Math.floor(r.x * factor), y: Math.floor(r.y * factor), w: Math.ceil(r.w * factor), h: Math.ceil(r.h * factor) };
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Linear RMS loudness per video frame of a WAV. */
export async function frameRms(wavPath: string, fps = 25): Promise<number[]> {
  return Array.from(frameLoudnessDb(parseWav(await fs.readFile(wavPath)), fps), (d) => (d <= -100 ? 0 : 10 ** (d / 20)));
}
