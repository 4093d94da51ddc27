import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { analyzePhoto } from '../prepare/prepare-photo';
import { decodeForDetection, locateFace } from './face-detect';
import { faceModels } from './face-models';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/faces/', import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
// face-api's own demo photos (MIT package; "taken by me", no model release): tests only, never demos.
const faceApiSample = (n: number) =>
  fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`));

async function refusal(photo: Buffer): Promise<AppError> {
  const err = await analyzePhoto(photo).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

/** Deterministic noise over a gradient: texture but no face. */
async function noisePhoto(): Promise<Buffer> {
  const w = 480;
  const h = 640;
  const px = Buffer.alloc(w * h * 3);
  let seed = 12345;
  for (let i = 0; i < w * h; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = seed % 60;
    const y = Math.floor(i / w);
    px[i * 3] = Math.min(255, 60 + (y * 150) / h + n);
    px[i * 3 + 1] = Math.min(255, 90 + n);
    px[i * 3 + 2] = Math.min(255, 200 - (y * 100) / h + n);
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
}

describe('face detection on real photos', () => {
  beforeAll(async () => {
    await faceModels();
  });

  it('finds the astronaut with the tiny detector and puts the mouth centre within 3 px of the reference', async () => {
    const d = await decodeForDetection(fixture('portrait-astronaut.png'));
    const r = await locateFace(d.image, d.scale, 80);
    if (!r.verdict.ok) throw new Error(`refused: ${r.verdict.reason}`);
    expect(r.tried).toEqual(['tiny']);
    expect(r.verdict.face.landmarks).toHaveLength(68);
    const lips = r.verdict.face.landmarks.slice(48, 60);
    const cx = lips.reduce((s, p) => s + p.x, 0) / 12;
    const cy = lips.reduce((s, p) => s + p.y, 0) / 12;
    // Probe 1 reference (outer lip 48–59, SSD): centre ≈ (222.0, 147.0).
    expect(Math.hypot(cx - 222, cy - 147)).toBeLessThan(3);
  });

  it('maps landmarks back to source pixels when a large photo is downscaled for detection', async () => {
    const big = await sharp(fixture('portrait-astronaut.png')).resize(2048).png().toBuffer();
    const face = await analyzePhoto(big);
    const lips = face.landmarks.slice(48, 60);
    const cx = lips.reduce((s, p) => s + p.x, 0) / 12;
    const cy = lips.reduce((s, p) => s + p.y, 0) / 12;
    expect(face.width).toBe(2048);
    expect(Math.hypot(cx - 222 * 4, cy - 147 * 4)).toBeLessThan(12);
  });

  it('honours EXIF orientation (a phone photo stored sideways)', async () => {
    // Pixels stored rotated 90° counter-clockwise, EXIF orientation 6 says "rotate 90° clockwise to view".
    const sideways = await sharp(fixture('portrait-astronaut.png')).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const face = await analyzePhoto(sideways);
    const lips = face.landmarks.slice(48, 60);
    const cx = lips.reduce((s, p) => s + p.x, 0) / 12;
    const cy = lips.reduce((s, p) => s + p.y, 0) / 12;
    expect(Math.hypot(cx - 222, cy - 147)).toBeLessThan(4);
  });

  it('refuses a photo without a face with 422 no_face and a hint in English and Vietnamese', async () => {
    const err = await refusal(await noisePhoto());
    expect(err.status).toBe(422);
    expect(err.code).toBe('no_face');
    const details = err.details as { hint: string; hint_vi: string };
    expect(details.hint).toMatch(/frontal photo/);
    expect(details.hint_vi).toMatch(/chính diện/);
  });

  it('refuses the cat with 422 no_face even though SSD calls it a face', async () => {
    const d = await decodeForDetection(fixture('cat-chelsea.png'));
    const r = await locateFace(d.image, d.scale, 80);
    expect(r.tried).toEqual(['tiny', 'ssd']);
    expect(r.verdict.ok).toBe(false);
    expect((await refusal(fixture('cat-chelsea.png'))).code).toBe('no_face');
  });

  it('refuses two faces side by side with 422 multiple_faces', async () => {
    const one = fixture('portrait-astronaut.png');
    const two = await sharp({ create: { width: 1024, height: 512, channels: 3, background: '#888' } })
      .composite([{ input: one, left: 0, top: 0 }, { input: one, left: 512, top: 0 }])
      .png()
      .toBuffer();
    expect((await refusal(two)).code).toBe('multiple_faces');
  });

  it('refuses a group photo with 422 multiple_faces', async () => {
    expect((await refusal(faceApiSample(1))).code).toBe('multiple_faces');
  });

  it('refuses a face under the minimum width with 422 face_too_small', async () => {
    const small = await sharp(fixture('portrait-astronaut.png')).resize(200).png().toBuffer();
    const err = await refusal(small);
    expect(err.code).toBe('face_too_small');
    expect((err.details as { hint: string }).hint).toMatch(/at least 80 px/);
  });

  it('refuses a face turned to the side with 422 face_not_frontal', async () => {
    // One face of face-api's sample5, turned about 45° (nose far from the cheek midpoint).
    const turned = await sharp(faceApiSample(5)).extract({ left: 354, top: 282, width: 420, height: 440 }).jpeg().toBuffer();
    expect((await refusal(turned)).code).toBe('face_not_frontal');
  });
});
