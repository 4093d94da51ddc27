/*
 * Test and benchmark support (not a test): the portraits the thumbnail budget is checked on.
 *
 * PROVENANCE. `demo` is the project's public-domain portrait (server/test/fixtures/faces/PROVENANCE.md: NASA
 * astronaut Eileen Collins, via scikit-image). Every other entry here is DERIVED from it at run time by this
 * file, deterministically (seeded), and never committed as an image:
 *   - `busy-shelf`: the portrait scaled 2x (face ≈ 190 px) and pasted on a 2048x2048 synthetic "bookshelf" of
 *     random coloured spines, labels and fine stripes with sensor grain: a sharp, high-detail background that
 *     fills the whole 9:16 crop around the face (the case that made a 665 KB GIF).
 *   - `grain`: the same 2x portrait with strong Gaussian-like noise (σ ≈ 14 levels), like a low-light phone photo;
 *     noise is the hardest content for both GIF (LZW) and JPEG.
 *   - `noise-wall`: the 2x portrait on pure random RGB noise: beyond any real photo, to show the budget floor holds.
 * Real portraits with glasses, beards, grey hair, darker skin and flags are added by the `render` work under
 * server/test/fixtures/portraits/ (with their own PROVENANCE.md); `portraitSet()` picks those up when present.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const here = import.meta.dirname;
export const DEMO_PORTRAIT = path.join(here, '../../test/fixtures/faces/portrait-astronaut.png');
export const PORTRAITS_DIR = path.join(here, '../../test/fixtures/portraits');

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic bookshelf: rows of spines in random colours with labels, stripes and grain (rgb24). */
function bookshelf(size: number, seed: number): Buffer {
  const r = rng(seed);
  const px = Buffer.alloc(size * size * 3);
  const rowH = 180;
  for (let top = 0; top < size; top += rowH) {
    let x = 0;
    while (x < size) {
      const w = 14 + Math.floor(r() * 40);
      const c = [r() * 255, r() * 255, r() * 255];
      const label = r() < 0.6;
      const stripe = 2 + Math.floor(r() * 5);
      for (let y = top; y < Math.min(size, top + rowH - 8); y++) {
        for (let xx = x; xx < Math.min(size, x + w); xx++) {
          const i = (y * size + xx) * 3;
          const edge = xx === x || xx === x + w - 1 ? 0.45 : 1;
          const inLabel = label && y > top + 60 && y < top + 110 && xx > x + 3 && xx < x + w - 3;
          const ink = inLabel && ((xx * 7 + y * 3) % 11 < 3 || (y % stripe === 0));
          const shadeV = inLabel ? (ink ? 0.15 : 1.6) : 1;
          for (let k = 0; k < 3; k++) px[i + k] = Math.max(0, Math.min(255, c[k]! * edge * shadeV + (r() - 0.5) * 24));
        }
      }
      x += w;
    }
    for (let y = top + rowH - 8; y < Math.min(size, top + rowH); y++) {
      for (let xx = 0; xx < size; xx++) {
        const i = (y * size + xx) * 3;
        px[i] = 90 + ((xx >> 2) % 3) * 10;
        px[i + 1] = 60;
        px[i + 2] = 30;
      }
    }
  }
  return px;
}

async function scaledDemo(scale: number): Promise<{ data: Buffer; width: number; height: number }> {
  const meta = await sharp(DEMO_PORTRAIT).metadata();
  const width = Math.round(meta.width! * scale);
  const height = Math.round(meta.height! * scale);
  const data = await sharp(DEMO_PORTRAIT).removeAlpha().resize(width, height, { kernel: 'lanczos3' }).sharpen().raw().toBuffer();
  return { data, width, height };
}

async function onBackground(bg: Buffer, size: number): Promise<Buffer> {
  const p = await scaledDemo(2);
  const left = Math.round((size - p.width) / 2);
  const top = Math.round(size * 0.18);
  return sharp(bg, { raw: { width: size, height: size, channels: 3 } })
    .composite([{ input: p.data, raw: { width: p.width, height: p.height, channels: 3 }, left, top }])
    .png({ compressionLevel: 1 })
    .toBuffer();
}

export interface Portrait {
  name: string;
  /** Where it comes from (printed by the benchmark). */
  source: string;
  photo: Buffer;
}

/** The derived worst cases (see PROVENANCE above). */
export async function derivedPortraits(): Promise<Portrait[]> {
  const size = 2048;
  const noisy = await scaledDemo(2);
  const r = rng(7);
  const grain = Buffer.from(noisy.data);
  for (let i = 0; i < grain.length; i++) grain[i] = Math.max(0, Math.min(255, grain[i]! + (r() + r() + r() - 1.5) * 28));
  const wall = Buffer.alloc(size * size * 3);
  const r2 = rng(11);
  for (let i = 0; i < wall.length; i++) wall[i] = Math.floor(r2() * 256);
  return [
    { name: 'busy-shelf', source: 'derived: demo portrait 2x on a synthetic bookshelf', photo: await onBackground(bookshelf(size, 3), size) },
    { name: 'grain', source: 'derived: demo portrait 2x with strong grain', photo: await sharp(grain, { raw: { width: noisy.width, height: noisy.height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer() },
    { name: 'noise-wall', source: 'derived: demo portrait 2x on random RGB noise (beyond any photo)', photo: await onBackground(wall, size) },
  ];
}

/** The demo portrait, every committed test portrait (server/test/fixtures/portraits/*.{jpg,jpeg,png,webp}), then the derived ones. */
export async function portraitSet(opts: { derived?: boolean } = {}): Promise<Portrait[]> {
  const out: Portrait[] = [{ name: 'demo', source: 'server/test/fixtures/faces/portrait-astronaut.png (public domain)', photo: await fs.readFile(DEMO_PORTRAIT) }];
  if (existsSync(PORTRAITS_DIR)) {
    for (const f of (await fs.readdir(PORTRAITS_DIR)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort()) {
      out.push({ name: f.replace(/\.[^.]+$/, ''), source: `server/test/fixtures/portraits/${f}`, photo: await fs.readFile(path.join(PORTRAITS_DIR, f)) });
    }
  }
  if (opts.derived !== false) out.push(...(await derivedPortraits()));
  return out;
}
