import type { Point } from '../prepared';
import type { Mesh } from './mesh';

/** An RGBA frame (4 bytes per pixel, row-major). */
export interface RgbaFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** A pixel rectangle; w and h may be 0 for "nothing". */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const emptyBox = (): Box => ({ x: 0, y: 0, w: 0, h: 0 });

/** Smallest box holding both. */
export function unionBox(a: Box, b: Box): Box {
  if (a.w === 0 || a.h === 0) return { ...b };
  if (b.w === 0 || b.h === 0) return { ...a };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Grows a box to a multiple of `grid` pixels (JPEG blocks), clamped to the frame. */
export function alignBox(b: Box, grid: number, width: number, height: number): Box {
  const x0 = Math.max(0, Math.floor(b.x / grid) * grid);
  const y0 = Math.max(0, Math.floor(b.y / grid) * grid);
  const x1 = Math.min(width, Math.ceil((b.x + b.w) / grid) * grid);
  const y1 = Math.min(height, Math.ceil((b.y + b.h) / grid) * grid);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** Bilinear sample of `src` (RGB, alpha kept opaque) at continuous pixel-centre coordinates into dst[o..o+3]. */
function sample(src: RgbaFrame, sx: number, sy: number, dst: Uint8ClampedArray, o: number): void {
  const w = src.width;
  const fx = Math.max(0, Math.min(w - 1.001, sx - 0.5));
  const fy = Math.max(0, Math.min(src.height - 1.001, sy - 0.5));
  const x0 = fx | 0;
  const y0 = fy | 0;
  const ax = fx - x0;
  const ay = fy - y0;
  const w00 = (1 - ax) * (1 - ay);
  const w10 = ax * (1 - ay);
  const w01 = (1 - ax) * ay;
  const w11 = ax * ay;
  const d = src.data;
  const i00 = (y0 * w + x0) * 4;
  const i01 = i00 + w * 4;
  dst[o] = d[i00]! * w00 + d[i00 + 4]! * w10 + d[i01]! * w01 + d[i01 + 4]! * w11;
  dst[o + 1] = d[i00 + 1]! * w00 + d[i00 + 5]! * w10 + d[i01 + 1]! * w01 + d[i01 + 5]! * w11;
  dst[o + 2] = d[i00 + 2]! * w00 + d[i00 + 6]! * w10 + d[i01 + 2]! * w01 + d[i01 + 6]! * w11;
  dst[o + 3] = 255;
}

const still = (p: Point, q: Point) => Math.abs(p.x - q.x) < 1e-3 && Math.abs(p.y - q.y) < 1e-3;

/** Horizontal span [x0, x1] (continuous) of triangle abc at height y, or null. */
function span(a: Point, b: Point, c: Point, y: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [p, q] of [[a, b], [b, c], [c, a]] as const) {
    if ((p.y <= y && q.y >= y) || (q.y <= y && p.y >= y)) {
      if (p.y === q.y) {
        lo = Math.min(lo, p.x, q.x);
        hi = Math.max(hi, p.x, q.x);
      } else {
        const x = p.x + ((y - p.y) / (q.y - p.y)) * (q.x - p.x);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Inverse piecewise-affine warp: every mesh triangle with a moved vertex is rasterized at its new place
 * (`moved`) and filled by sampling `src` at the corresponding point of the original triangle. Pixels of
 * untouched triangles are left as they are in `dst`. Returns the box of written pixels. Pure apart from
 * writing into `dst`.
 */
export function warpMesh(src: RgbaFrame, dst: RgbaFrame, mesh: Mesh, moved: Point[]): Box {
  const { points, triangles } = mesh;
  let box = emptyBox();
  for (let t = 0; t < triangles.length; t += 3) {
    const ia = triangles[t]!;
    const ib = triangles[t + 1]!;
    const ic = triangles[t + 2]!;
    const a = moved[ia]!;
    const b = moved[ib]!;
    const c = moved[ic]!;
    const sa = points[ia]!;
    const sb = points[ib]!;
    const sc = points[ic]!;
    if (still(a, sa) && still(b, sb) && still(c, sc)) continue;
    const det = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
    if (Math.abs(det) < 1e-9) continue; // collapsed triangle covers no pixels
    // Affine map from destination (x, y) to source: barycentric weights are linear in x and y.
    const l1x = (b.y - c.y) / det;
    const l1y = (c.x - b.x) / det;
    const l2x = (c.y - a.y) / det;
    const l2y = (a.x - c.x) / det;
    const l1c = -(l1x * c.x + l1y * c.y);
    const l2c = -(l2x * c.x + l2y * c.y);
    const mx = (l1: number, l2: number) => l1 * sa.x + l2 * sb.x + (1 - l1 - l2) * sc.x;
    const my = (l1: number, l2: number) => l1 * sa.y + l2 * sb.y + (1 - l1 - l2) * sc.y;
    const minY = Math.max(0, Math.ceil(Math.min(a.y, b.y, c.y) - 0.5));
    const maxY = Math.min(dst.height - 1, Math.floor(Math.max(a.y, b.y, c.y) - 0.5));
    let bx0 = Infinity;
    let bx1 = -Infinity;
    for (let y = minY; y <= maxY; y++) {
      const py = y + 0.5;
      const s = span(a, b, c, py);
      if (!s) continue;
      const x0 = Math.max(0, Math.ceil(s[0] - 0.5 - 1e-7));
      const x1 = Math.min(dst.width - 1, Math.floor(s[1] - 0.5 + 1e-7));
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const l1 = l1x * px + l1y * py + l1c;
        const l2 = l2x * px + l2y * py + l2c;
        sample(src, mx(l1, l2), my(l1, l2), dst.data, (y * dst.width + x) * 4);
      }
      if (x0 <= x1) {
        bx0 = Math.min(bx0, x0);
        bx1 = Math.max(bx1, x1);
      }
    }
    if (bx0 <= bx1) box = unionBox(box, { x: bx0, y: minY, w: bx1 - bx0 + 1, h: maxY - minY + 1 });
  }
  return box;
}
