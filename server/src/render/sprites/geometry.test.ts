import { describe, expect, it } from 'vitest';
import { ASTRONAUT_LANDMARKS } from '../face/face-template.fixture';
import { cropFor, mapToFrame } from './crop';
import { buildMesh } from './mesh';
import { closeEyes, closeMouth, innerGap, MAX_OPENING, mouthWidth, openMouth, openingLevels, roundMouth } from './shapes';
import { alignBox, unionBox, warpMesh, type RgbaFrame } from './warp';

const L = ASTRONAUT_LANDMARKS;

describe('crop geometry', () => {
  it.each([
    // [source, face centre, face width, output, expected crop]
    ['512² portrait photo, 9:16 out: shrinks to the photo height', { width: 512, height: 512 }, { x: 222, y: 130 }, 95, { width: 720, height: 1280 }, { left: 78, top: 0, width: 288, height: 512 }],
    ['large photo, 9:16: 3.2 face widths wide, face at 38 % height', { width: 3000, height: 4000 }, { x: 1500, y: 1500 }, 400, { width: 720, height: 1280 }, { left: 860, top: 635, width: 1280, height: 2276 }],
    ['large photo, 16:9: 3.2 face widths high', { width: 4000, height: 3000 }, { x: 2000, y: 1200 }, 400, { width: 1280, height: 720 }, { left: 862, top: 624, width: 2276, height: 1280 }],
    ['square out', { width: 3000, height: 3000 }, { x: 1500, y: 1500 }, 400, { width: 1080, height: 1080 }, { left: 860, top: 924, width: 1280, height: 1280 }],
    ['face at the left edge: clamped inside the photo', { width: 2000, height: 3000 }, { x: 100, y: 900 }, 300, { width: 720, height: 1280 }, { left: 0, top: 251, width: 960, height: 1707 }],
  ])('%s', (_name, src, centre, fw, out, expected) => {
    const c = cropFor(src, centre, fw, out);
    expect(c).toEqual(expected);
    expect(c.left + c.width).toBeLessThanOrEqual(src.width);
    expect(c.top + c.height).toBeLessThanOrEqual(src.height);
    expect(Math.abs(c.width / c.height - out.width / out.height)).toBeLessThan(0.01);
  });

  it('maps source landmarks into the output frame', () => {
    const [p] = mapToFrame([{ x: 100, y: 50 }], { left: 50, top: 0, width: 288, height: 512 }, { width: 720, height: 1280 });
    expect(p).toEqual({ x: 125, y: 125 });
  });
});

describe('mouth shapes', () => {
  it('spaces the openings evenly from 0 to 0.30 × mouth width', () => {
    const o = openingLevels(L, 7);
    expect(o).toHaveLength(7);
    expect(o[0]).toBe(0);
    expect(o[6]).toBeCloseTo(MAX_OPENING * mouthWidth(L), 6);
    for (let k = 1; k < o.length; k++) expect(o[k]!).toBeGreaterThan(o[k - 1]!);
  });

  it('opens the inner lips by about the jaw drop and keeps the upper face still', () => {
    const d = 10;
    const m = openMouth(L, d);
    expect(innerGap(m) - innerGap(L)).toBeGreaterThan(d);
    expect(innerGap(m) - innerGap(L)).toBeLessThan(1.2 * d);
    for (let i = 17; i < 48; i++) expect(m[i]).toEqual(L[i]);
    expect(m[8]!.y - L[8]!.y).toBeCloseTo(d, 1);
  });

  it('presses the lips together for m/b/p and opens less than the first level', () => {
    expect(innerGap(closeMouth(L))).toBeLessThan(0.5);
    expect(innerGap(closeMouth(L))).toBeLessThan(innerGap(openMouth(L, openingLevels(L, 7)[1]!)));
  });

  it('rounds the lips by narrowing the mouth', () => {
    expect(mouthWidth(roundMouth(L))).toBeLessThan(0.75 * mouthWidth(L));
  });

  it('closes the eyes by bringing the upper lids onto the lower lids', () => {
    const e = closeEyes(L);
    expect(Math.abs(e[37]!.y - L[41]!.y)).toBeLessThan(0.15 * Math.abs(L[37]!.y - L[41]!.y));
    expect(e[48]).toEqual(L[48]);
  });
});

describe('mesh warp', () => {
  const frame = (): RgbaFrame => {
    const data = new Uint8ClampedArray(400 * 400 * 4);
    for (let i = 0; i < 400 * 400; i++) data.set([i % 251, (i >> 3) % 241, (i >> 7) % 239, 255], i * 4);
    return { width: 400, height: 400, data };
  };
  const lm = L.map((p) => ({ x: p.x - 20, y: p.y + 40 }));

  it('writes nothing when no vertex moves', () => {
    const src = frame();
    const dst = frame();
    const mesh = buildMesh(lm, 400, 400);
    expect(warpMesh(src, dst, mesh, mesh.points).w).toBe(0);
    expect(Buffer.compare(Buffer.from(dst.data), Buffer.from(src.data))).toBe(0);
  });

  it('changes pixels only inside the returned box', () => {
    const src = frame();
    const dst = frame();
    const mesh = buildMesh(lm, 400, 400);
    const box = warpMesh(src, dst, mesh, [...openMouth(lm, 12), ...mesh.points.slice(68)]);
    expect(box.w).toBeGreaterThan(0);
    let outside = 0;
    let inside = 0;
    for (let y = 0; y < 400; y++)
      for (let x = 0; x < 400; x++) {
        const i = (y * 400 + x) * 4;
        const diff = src.data[i] !== dst.data[i] || src.data[i + 1] !== dst.data[i + 1] || src.data[i + 2] !== dst.data[i + 2];
        const isIn = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h;
        if (diff && !isIn) outside++;
        if (diff && isIn) inside++;
      }
    expect(outside).toBe(0);
    expect(inside).toBeGreaterThan(500);
  });

  it.each([
    [{ x: 3, y: 5, w: 10, h: 10 }, 8, { x: 0, y: 0, w: 16, h: 16 }],
    [{ x: 17, y: 9, w: 1, h: 1 }, 8, { x: 16, y: 8, w: 8, h: 8 }],
    [{ x: 95, y: 95, w: 10, h: 10 }, 8, { x: 88, y: 88, w: 12, h: 12 }],
  ])('aligns %o to the %i-px grid inside a 100x100 frame', (box, grid, expected) => {
    expect(alignBox(box, grid, 100, 100)).toEqual(expected);
  });

  it('unions boxes, ignoring empty ones', () => {
    expect(unionBox({ x: 0, y: 0, w: 0, h: 0 }, { x: 5, y: 5, w: 2, h: 2 })).toEqual({ x: 5, y: 5, w: 2, h: 2 });
    expect(unionBox({ x: 0, y: 0, w: 2, h: 2 }, { x: 5, y: 5, w: 2, h: 2 })).toEqual({ x: 0, y: 0, w: 7, h: 7 });
  });
});
