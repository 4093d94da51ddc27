import type { HeadPose } from './motion';
import type { Point } from './prepared';

/**
 * Moves the head of a frame by a HeadPose with the background pinned: a smooth displacement field (the
 * continuous form of a face-mesh warp whose outer ring is fixed) that is 1 over the head, falls to 0 across a
 * ring around it and is exactly 0 outside `box` and near the frame's edges, so nothing outside the head ever
 * moves and nothing tears at the image edge. Eyebrows have their own small field (lift on emphasis).
 * Works on 4:2:0 YUV planes directly, so a posed frame costs one bilinear pass over the head box.
 */
export interface HeadRig {
  width: number;
  height: number;
  /** The only region a pose changes (even-aligned); everything else is byte-identical to the sprite. */
  box: { x: number; y: number; w: number; h: number };
  pivot: Point;
  /** Face radius in pixels (half the cheek-to-cheek width): pose distances are measured at it. */
  radiusPx: number;
  faceWidthPx: number;
  /** Per-pixel head and brow weights over `box` (luma resolution) and over the chroma box. */
  head: Float32Array;
  brow: Float32Array;
  headC: Float32Array;
  browC: Float32Array;
  /**
   * Per row of the weight arrays, the columns [start, end) where the head or brow weight is non-zero (pairs);
   * the warp resamples only these and copies the rest of the row.
   */
  spans: Int32Array;
  spansC: Int32Array;
}

/** Pixels from the frame edge over which the field fades to 0 (the image edge never moves). */
const EDGE_PX = 24;

const smooth = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** Builds the rig of a prepared avatar from its 68 landmarks (output pixels). Pure. */
export function buildHeadRig(landmarks: Point[], width: number, height: number): HeadRig {
  const at = (i: number) => landmarks[i]!;
  const faceW = Math.hypot(at(16).x - at(0).x, at(16).y - at(0).y);
  const browTop = Math.min(...landmarks.slice(17, 27).map((p) => p.y));
  const chin = at(8);
  const cx = landmarks.slice(0, 17).reduce((s, p) => s + p.x, 0) / 17;
  // The head: from the top of the hair (≈ 0.55 face widths above the brows) to just under the chin.
  const top = browTop - 0.55 * faceW;
  const bottom = chin.y + 0.08 * faceW;
  const centre = { x: cx, y: (top + bottom) / 2 };
  const rx = 0.66 * faceW;
  const ry = (bottom - top) / 2;
  const OUTER = 1.35;
  const even = (v: number) => Math.max(0, Math.floor(v / 2) * 2);
  const x0 = even(centre.x - rx * OUTER);
  const y0 = even(centre.y - ry * OUTER);
  const x1 = Math.min(width, even(centre.x + rx * OUTER + 2));
  const y1 = Math.min(height, even(centre.y + ry * OUTER + 2));
  const box = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
  const pivot = { x: cx, y: chin.y + 0.45 * faceW };
  // Brows: an ellipse over each eyebrow reaching up the forehead; 0 at the upper eyelid, so the eyes stay.
  const browEllipse = (a: number, b: number) => {
    const pts = landmarks.slice(a, b + 1);
    const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
    const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
    const half = Math.hypot(pts[pts.length - 1]!.x - pts[0]!.x, pts[pts.length - 1]!.y - pts[0]!.y) / 2;
    return { x: mx, y: my - 0.05 * faceW, rx: half * 1.45, ry: 0.2 * faceW };
  };
  const brows = [browEllipse(17, 21), browEllipse(22, 26)];
  const weights = (scale: number) => {
    const bw = Math.ceil(box.w / scale);
    const bh = Math.ceil(box.h / scale);
    const head = new Float32Array(bw * bh);
    const brow = new Float32Array(bw * bh);
    for (let j = 0; j < bh; j++) {
      for (let i = 0; i < bw; i++) {
        // Pixel centre in luma coordinates.
        const x = box.x + (i + 0.5) * scale;
        const y = box.y + (j + 0.5) * scale;
        const rho = Math.hypot((x - centre.x) / rx, (y - centre.y) / ry);
        const edge = smooth(Math.min(x, y, width - x, height - y) / EDGE_PX);
        head[j * bw + i] = (1 - smooth((rho - 1) / (OUTER - 1))) * edge;
        let b = 0;
        for (const e of brows) {
          const d = Math.hypot((x - e.x) / e.rx, (y - e.y) / e.ry);
          b = Math.max(b, 1 - smooth(d));
        }
        brow[j * bw + i] = b * edge;
      }
    }
    const spans = new Int32Array(2 * bh);
    for (let j = 0; j < bh; j++) {
      let a = bw;
      let b = 0;
      for (let i = 0; i < bw; i++) {
        if (head[j * bw + i]! === 0 && brow[j * bw + i]! === 0) continue;
        if (a === bw) a = i;
        b = i + 1;
      }
      spans[2 * j] = a;
      spans[2 * j + 1] = b;
    }
    return { head, brow, spans };
  };
  const luma = weights(1);
  const chroma = weights(2);
  return {
    width,
    height,
    box,
    pivot,
    radiusPx: faceW / 2,
    faceWidthPx: faceW,
    head: luma.head,
    brow: luma.brow,
    headC: chroma.head,
    browC: chroma.brow,
    spans: luma.spans,
    spansC: chroma.spans,
  };
}

/** Offsets of the Y, U and V planes in a 4:2:0 frame of width x height. */
export function planeOffsets(width: number, height: number) {
  const y = width * height;
  return { y: 0, u: y, v: y + y / 4, size: y + y / 2 };
}

/**
 * One bilinear pass over a plane's region: dst = src sampled at p − D(p), for every pixel of the region
 * (where the weights are zero D is 0, so those pixels are plain copies of src, done as row copies).
 */
function warpPlane(
  src: Uint8Array,
  dst: Uint8Array,
  stride: number,
  planeH: number,
  bx: number,
  by: number,
  bw: number,
  bh: number,
  /** Where (bx, by) is inside the weight arrays, and their row length. */
  wx: number,
  wy: number,
  wStride: number,
  scale: number,
  head: Float32Array,
  brow: Float32Array,
  spans: Int32Array,
  pivot: Point,
  pose: HeadPose,
): void {
  const th = (pose.roll * Math.PI) / 180;
  const c = Math.cos(th) - 1;
  const s = Math.sin(th);
  const px0 = pivot.x / scale;
  const py0 = pivot.y / scale;
  const dx = pose.dx / scale;
  const dy = pose.dy / scale;
  const lift = pose.brow / scale;
  const maxX = stride - 1.001;
  const maxY = planeH - 1.001;
  // The largest displacement anywhere in the region (weights ≤ 1): rotation at the farthest corner + shift + lift.
  let far = 0;
  for (const [cx, cy] of [[bx, by], [bx + bw, by], [bx, by + bh], [bx + bw, by + bh]] as const) far = Math.max(far, Math.hypot(cx - px0, cy - py0));
  const maxD = (Math.abs(c) + Math.abs(s)) * (far + 1) + Math.abs(dx) + Math.abs(dy) + Math.abs(lift) + 1;
  for (let j = 0; j < bh; j++) {
    const y = by + j;
    const row = y * stride;
    const wRow = (wy + j) * wStride;
    // The row's non-zero weights, as columns of the region: resample those, copy the rest.
    const a = Math.max(0, spans[2 * (wy + j)]! - wx);
    const b = Math.min(bw, spans[2 * (wy + j) + 1]! - wx);
    if (b <= a) {
      dst.set(src.subarray(row + bx, row + bx + bw), row + bx);
      continue;
    }
    if (a > 0) dst.set(src.subarray(row + bx, row + bx + a), row + bx);
    if (b < bw) dst.set(src.subarray(row + bx + b, row + bx + bw), row + bx + b);
    // Displacement under the pose (rotation about the pivot + shift), per pixel: w·(c·x + kx, s·x + ky), brows lift.
    const py = y + 0.5 - py0;
    const kx = c * (0.5 - px0) - s * py + dx;
    const ky = s * (0.5 - px0) + c * py + dy;
    // Source coordinates stay within maxD of the pixel: rows far enough from the plane's edges skip the clamps.
    const x0a = bx + a;
    const x1b = bx + b;
    if (y - maxD >= 0 && y + maxD < maxY && x0a - maxD >= 0 && x1b + maxD < maxX) {
      for (let i = a; i < b; i++) {
        const k = wRow + wx + i;
        const w = head[k]!;
        const x = bx + i;
        const sx = x - w * (c * x + kx);
        const sy = y - w * (s * x + ky) + brow[k]! * lift;
        const x0 = sx | 0;
        const y0 = sy | 0;
        const ax = sx - x0;
        const ay = sy - y0;
        const i00 = y0 * stride + x0;
        const i01 = i00 + stride;
        const s00 = src[i00]!;
        const s10 = src[i01]!;
        const top = s00 + (src[i00 + 1]! - s00) * ax;
        const bot = s10 + (src[i01 + 1]! - s10) * ax;
        dst[row + x] = (top + (bot - top) * ay + 0.5) | 0;
      }
      continue;
    }
    for (let i = a; i < b; i++) {
      const k = wRow + wx + i;
      const w = head[k]!;
      const x = bx + i;
      let sx = x - w * (c * x + kx);
      let sy = y - w * (s * x + ky) + brow[k]! * lift;
      sx = sx < 0 ? 0 : sx > maxX ? maxX : sx;
      sy = sy < 0 ? 0 : sy > maxY ? maxY : sy;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const ax = sx - x0;
      const ay = sy - y0;
      const i00 = y0 * stride + x0;
      const i01 = i00 + stride;
      const s00 = src[i00]!;
      const s10 = src[i01]!;
      const top = s00 + (src[i00 + 1]! - s00) * ax;
      const bot = s10 + (src[i01 + 1]! - s10) * ax;
      dst[row + x] = (top + (bot - top) * ay + 0.5) | 0;
    }
  }
}

/**
 * Writes the posed frame into `dst` (raw 4:2:0 frames like `src`): every pixel of the head box (or of the
 * `only` sub-box) is `src` re-sampled under `pose`; pixels outside it are never written, so `dst` may be a
 * copy of `src` or any earlier frame that agrees with `src` outside the box.
 */
export function warpHead(rig: HeadRig, src: Uint8Array, dst: Uint8Array, pose: HeadPose, only?: { x: number; y: number; w: number; h: number }): void {
  const { width: w, height: h, box } = rig;
  // The part to redraw: the whole head box, or a sub-box of it (even-aligned, clipped to the head box).
  const even = (v: number) => Math.floor(v / 2) * 2;
  const sx0 = only ? Math.max(box.x, even(only.x)) : box.x;
  const sy0 = only ? Math.max(box.y, even(only.y)) : box.y;
  const sx1 = only ? Math.min(box.x + box.w, even(only.x + only.w + 1)) : box.x + box.w;
  const sy1 = only ? Math.min(box.y + box.h, even(only.y + only.h + 1)) : box.y + box.h;
  if (sx1 <= sx0 || sy1 <= sy0) return;
  const o = planeOffsets(w, h);
  const Y = (b: Uint8Array) => b.subarray(o.y, o.u);
  const U = (b: Uint8Array) => b.subarray(o.u, o.v);
  const V = (b: Uint8Array) => b.subarray(o.v, o.size);
  warpPlane(Y(src), Y(dst), w, h, sx0, sy0, sx1 - sx0, sy1 - sy0, sx0 - box.x, sy0 - box.y, box.w, 1, rig.head, rig.brow, rig.spans, rig.pivot, pose);
  const cStride = box.w / 2;
  for (const P of [U, V]) {
    warpPlane(P(src), P(dst), w / 2, h / 2, sx0 / 2, sy0 / 2, (sx1 - sx0) / 2, (sy1 - sy0) / 2, (sx0 - box.x) / 2, (sy0 - box.y) / 2, cStride, 2, rig.headC, rig.browC, rig.spansC, rig.pivot, pose);
  }
}

/** An upper bound of how far any pixel of the head box moves under a pose (output pixels; weights ≤ 1). */
export function maxDisplacement(rig: HeadRig, pose: HeadPose): number {
  const th = (pose.roll * Math.PI) / 180;
  const { box, pivot } = rig;
  let far = 0;
  for (const [x, y] of [[box.x, box.y], [box.x + box.w, box.y], [box.x, box.y + box.h], [box.x + box.w, box.y + box.h]] as const) far = Math.max(far, Math.hypot(x - pivot.x, y - pivot.y));
  return (Math.abs(Math.cos(th) - 1) + Math.abs(Math.sin(th))) * far + Math.abs(pose.dx) + Math.abs(pose.dy) + Math.abs(pose.brow);
}

/** The largest distance any landmark moves under a pose (for the "face stays inside the crop" gate). */
export function landmarkShift(rig: HeadRig, landmarks: Point[], pose: HeadPose): { maxMovePx: number; moved: Point[] } {
  const th = (pose.roll * Math.PI) / 180;
  const c = Math.cos(th);
  const s = Math.sin(th);
  let maxMovePx = 0;
  const moved = landmarks.map((p) => {
    const px = p.x - rig.pivot.x;
    const py = p.y - rig.pivot.y;
    const q = { x: rig.pivot.x + c * px - s * py + pose.dx, y: rig.pivot.y + s * px + c * py + pose.dy };
    maxMovePx = Math.max(maxMovePx, Math.hypot(q.x - p.x, q.y - p.y));
    return q;
  });
  return { maxMovePx, moved };
}
