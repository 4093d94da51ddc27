import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASTRONAUT_LANDMARKS } from '../face/face-template.fixture';
import { FORMATS } from '../renderer';
import { faceCentre } from '../prepare/prepare-photo';
import { measureFace } from '../face/face-geometry';
import { cropFor, mapToFrame } from './crop';
import { cropFrame, decodeRgb, encodeSprites } from './sprite-codec';
import { closeMouth, innerGap, mouthWidth } from './shapes';
import { buildSpriteFrames, MOUTH_LEVELS, type SpriteFrames } from './sprite-set';
import type { Box, RgbaFrame } from './warp';

const PHOTO = fs.readFileSync(fileURLToPath(new URL('../../../test/fixtures/faces/portrait-astronaut.png', import.meta.url)));
const inBox = (b: Box, x: number, y: number) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;

async function framesFor(format: keyof typeof FORMATS): Promise<SpriteFrames> {
  const out = FORMATS[format];
  const crop = cropFor({ width: 512, height: 512 }, faceCentre(ASTRONAUT_LANDMARKS), measureFace(ASTRONAUT_LANDMARKS, 116).widthPx, out);
  const base = await cropFrame(PHOTO, crop, out);
  return buildSpriteFrames(base, mapToFrame(ASTRONAUT_LANDMARKS, crop, out));
}

/** Pixels (x, y) where two frames differ, counted inside and outside a set of boxes. */
function diffOutside(a: { data: ArrayLike<number>; width: number; height: number }, b: typeof a, channels: number, boxes: Box[]): { outside: number; inside: number } {
  let outside = 0;
  let inside = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * channels;
      if (a.data[i] === b.data[i] && a.data[i + 1] === b.data[i + 1] && a.data[i + 2] === b.data[i + 2]) continue;
      if (boxes.some((bx) => inBox(bx, x, y))) inside++;
      else outside++;
    }
  return { outside, inside };
}

/** Dark (throat) pixels in a region: grows as the mouth opens. */
function darkPixels(f: RgbaFrame, r: Box): number {
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++)
    for (let x = r.x; x < r.x + r.w; x++) {
      const i = (y * f.width + x) * 4;
      if (0.299 * f.data[i]! + 0.587 * f.data[i + 1]! + 0.114 * f.data[i + 2]! < 90) n++;
    }
  return n;
}

describe('sprite set (astronaut, portrait)', () => {
  let s: SpriteFrames;
  beforeAll(async () => {
    s = await framesFor('portrait');
  });

  it('has MOUTH_LEVELS mouth levels up to 0.30 × mouth width, closed, rounded and a blink per level', () => {
    expect(s.mouth).toHaveLength(MOUTH_LEVELS);
    expect(s.blink).toHaveLength(MOUTH_LEVELS);
    const lm = s.landmarks;
    const mw = Math.hypot(lm[54]!.x - lm[48]!.x, lm[54]!.y - lm[48]!.y);
    expect(s.openings.at(-1)! / mw).toBeCloseTo(0.3, 5);
  });

  it('changes pixels only inside mouthBox for every mouth shape, and leaves level 0 equal to the photo', () => {
    const base = s.mouth[0]!;
    for (const f of [...s.mouth.slice(1), s.closed, s.rounded]) {
      const d = diffOutside(base, f, 4, [s.mouthBox]);
      expect(d.outside).toBe(0);
      expect(d.inside).toBeGreaterThan(100);
    }
    expect(s.mouthBox.x % 8 + s.mouthBox.y % 8).toBe(0);
  });

  it('closes the eyes only inside eyesBox, apart from the mouth', () => {
    for (let k = 0; k < s.mouth.length; k++) {
      const d = diffOutside(s.mouth[k]!, s.blink[k]!, 4, [s.eyesBox]);
      expect(d.outside).toBe(0);
      expect(d.inside).toBeGreaterThan(100);
    }
    const overlap = s.eyesBox.y + s.eyesBox.h > s.mouthBox.y && s.mouthBox.y + s.mouthBox.h > s.eyesBox.y && s.eyesBox.x + s.eyesBox.w > s.mouthBox.x && s.mouthBox.x + s.mouthBox.w > s.eyesBox.x;
    expect(overlap).toBe(false);
  });

  it('opens the mouth monotonically with the level, and the closed lips show less than level 1', () => {
    const lm = s.landmarks;
    const xs = [48, 54].map((i) => lm[i]!.x);
    // From the upper lip to the lowest the lower lip gets (above the chin, so the dark neck stays out).
    const region = { x: Math.floor(xs[0]!), y: Math.floor(lm[51]!.y), w: Math.ceil(xs[1]! - xs[0]!), h: Math.ceil(lm[57]!.y + s.openings.at(-1)! - lm[51]!.y) };
    const dark = s.mouth.map((f) => darkPixels(f, region));
    for (let k = 1; k < dark.length; k++) expect(dark[k]!).toBeGreaterThan(dark[k - 1]!);
    expect(darkPixels(s.closed, region)).toBeLessThan(dark[1]!);
    expect(darkPixels(s.rounded, region)).toBeLessThan(dark[6]!);
    expect(darkPixels(s.rounded, region)).toBeGreaterThan(dark[0]!);
  });

  it('opens a closed-mouth photo too (synthetic teeth path), monotonically', () => {
    // The closed-lips sprite is a photo of the same face with the mouth shut.
    const shut = closeMouth(s.landmarks);
    expect(innerGap(shut)).toBeLessThan(0.08 * mouthWidth(shut));
    const t = buildSpriteFrames(s.closed, shut);
    const region = { x: Math.floor(shut[48]!.x), y: Math.floor(shut[51]!.y), w: Math.ceil(shut[54]!.x - shut[48]!.x), h: Math.ceil(shut[57]!.y + t.openings.at(-1)! - shut[51]!.y) };
    const dark = t.mouth.map((f) => darkPixels(f, region));
    for (let k = 1; k < dark.length; k++) expect(dark[k]!).toBeGreaterThan(dark[k - 1]!);
    expect(diffOutside(t.mouth[0]!, t.mouth[MOUTH_LEVELS - 1]!, 4, [t.mouthBox]).outside).toBe(0);
  });

  it('encodes JPEGs of exactly 720x1280 whose blocks outside the boxes decode identically', async () => {
    const p = await encodeSprites(s);
    const all = [...p.mouth, p.closed, p.rounded, ...p.blink];
    expect(all).toHaveLength(2 * MOUTH_LEVELS + 2);
    const ref = await decodeRgb(p.mouth[0]!);
    expect([ref.width, ref.height]).toEqual([720, 1280]);
    for (const jpeg of [p.mouth[MOUTH_LEVELS - 1]!, p.closed, p.blink[3]!]) {
      const img = await decodeRgb(jpeg);
      expect([img.width, img.height]).toEqual([720, 1280]);
      expect(diffOutside(ref, img, 3, [s.mouthBox, s.eyesBox]).outside).toBe(0);
    }
    expect(p.mouth[0]!.length).toBeLessThan(400_000);
  });
});

describe('sprite sets for the other formats', () => {
  it.each(['landscape', 'square'] as const)('builds %s sprites of the exact size with the face in frame', async (format) => {
    const f = await framesFor(format);
    const { width, height } = FORMATS[format];
    expect([f.width, f.height]).toEqual([width, height]);
    expect(f.mouth[3]!.data.length).toBe(width * height * 4);
    for (const p of f.landmarks) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(width);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(height);
    }
    expect(f.mouthBox.w).toBeGreaterThan(0);
  });
});
