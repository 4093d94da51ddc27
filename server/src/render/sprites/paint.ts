import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Point } from '../prepared';
import { alignBox, emptyBox, type Box, type RgbaFrame } from './warp';

const INNER_LIP = [60, 61, 62, 63, 64, 65, 66, 67];

/** Copies a region of a frame onto a canvas of the region's size. */
function regionCanvas(frame: RgbaFrame, r: Box): { canvas: Canvas; ctx: SKRSContext2D } {
  const canvas = createCanvas(r.w, r.h);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(r.w, r.h);
  for (let y = 0; y < r.h; y++) {
    const from = ((r.y + y) * frame.width + r.x) * 4;
    img.data.set(frame.data.subarray(from, from + r.w * 4), y * r.w * 4);
  }
  ctx.putImageData(img, 0, 0);
  return { canvas, ctx };
}

/** Writes a canvas back into the frame region (alpha stays opaque, so the round trip is lossless). */
function writeBack(frame: RgbaFrame, r: Box, ctx: SKRSContext2D): void {
  const img = ctx.getImageData(0, 0, r.w, r.h);
  for (let y = 0; y < r.h; y++) frame.data.set(img.data.subarray(y * r.w * 4, (y + 1) * r.w * 4), ((r.y + y) * frame.width + r.x) * 4);
}

/** A closed smooth path through the points (quadratic curves through edge midpoints), in region coordinates. */
function smoothPath(ctx: SKRSContext2D, pts: Point[], r: Box): void {
  const p = pts.map((q) => ({ x: q.x - r.x, y: q.y - r.y }));
  const mid = (a: Point, b: Point) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  ctx.beginPath();
  const start = mid(p[p.length - 1]!, p[0]!);
  ctx.moveTo(start.x, start.y);
  for (let i = 0; i < p.length; i++) {
    const m = mid(p[i]!, p[(i + 1) % p.length]!);
    ctx.quadraticCurveTo(p[i]!.x, p[i]!.y, m.x, m.y);
  }
  ctx.closePath();
}

function bounds(pts: Point[], pad: number, frame: RgbaFrame): Box {
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  return alignBox(
    { x: Math.min(...xs) - pad, y: Math.min(...ys) - pad, w: Math.max(...xs) - Math.min(...xs) + 2 * pad, h: Math.max(...ys) - Math.min(...ys) + 2 * pad },
    1,
    frame.width,
    frame.height,
  );
}

/**
 * Paints the mouth interior inside the moved inner lip: a dark throat gradient, then either the photo's own
 * teeth at their original place (upper teeth move with the skull) or a synthetic teeth band under the upper
 * lip. Returns the region written (empty when the mouth is shut).
 */
export function paintMouth(frame: RgbaFrame, base: RgbaFrame, orig: Point[], moved: Point[], photoShowsTeeth: boolean): Box {
  const inner = INNER_LIP.map((i) => moved[i]!);
  const top = [61, 62, 63].map((i) => moved[i]!);
  const bottom = [67, 66, 65].map((i) => moved[i]!);
  const gap = bottom.reduce((s, p, k) => s + (p.y - top[k]!.y), 0) / 3;
  if (gap < 1) return emptyBox();
  const r = bounds([...inner, ...INNER_LIP.map((i) => orig[i]!)], 3, frame);
  const { ctx } = regionCanvas(frame, r);
  const c = inner.reduce((s, p) => ({ x: s.x + p.x / inner.length, y: s.y + p.y / inner.length }), { x: 0, y: 0 });
  const mw = Math.hypot(moved[64]!.x - moved[60]!.x, moved[64]!.y - moved[60]!.y);
  ctx.save();
  smoothPath(ctx, inner, r);
  ctx.clip();
  const g = ctx.createRadialGradient(c.x - r.x, c.y - r.y, 1, c.x - r.x, c.y - r.y, Math.max(mw / 2, gap));
  g.addColorStop(0, 'rgb(42,14,14)');
  g.addColorStop(1, 'rgb(118,54,50)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, r.w, r.h);
  // A tongue hint at the bottom of the opening.
  const low = bottom.reduce((s, p) => ({ x: s.x + p.x / 3, y: s.y + p.y / 3 }), { x: 0, y: 0 });
  ctx.filter = 'blur(2px)';
  ctx.fillStyle = 'rgba(150,66,64,0.85)';
  ctx.beginPath();
  ctx.ellipse(low.x - r.x, low.y - r.y, 0.3 * mw, 0.35 * gap, 0, 0, 2 * Math.PI);
  ctx.fill();
  ctx.filter = 'none';
  if (photoShowsTeeth) {
    const origInner = INNER_LIP.map((i) => orig[i]!);
    const { canvas: baseRegion } = regionCanvas(base, r);
    // Lower teeth ride with the jaw: the lower part of the photo's own opening, moved down with the lip.
    const drop = { x: low.x - [67, 66, 65].reduce((s, i) => s + orig[i]!.x / 3, 0), y: low.y - [67, 66, 65].reduce((s, i) => s + orig[i]!.y / 3, 0) };
    // Inset from the photo's lower lip so its edge does not show as a line inside the mouth.
    const inset = 0.25 * Math.max(0, orig[66]!.y - orig[62]!.y);
    const lowerHalf = [60, 67, 66, 65, 64].map((i) => ({ x: orig[i]!.x + drop.x, y: orig[i]!.y + drop.y - (i === 60 || i === 64 ? 0 : inset) }));
    ctx.save();
    smoothPath(ctx, lowerHalf, r);
    ctx.clip();
    ctx.globalAlpha = 0.75;
    ctx.drawImage(baseRegion, drop.x, drop.y);
    ctx.restore();
    smoothPath(ctx, origInner, r);
    ctx.clip();
    ctx.drawImage(baseRegion, 0, 0);
    const oy0 = Math.min(...origInner.map((p) => p.y)) - r.y;
    const oy1 = Math.max(...origInner.map((p) => p.y)) - r.y;
    const shade = ctx.createLinearGradient(0, oy0, 0, oy1);
    shade.addColorStop(0, 'rgba(30,10,10,0)');
    shade.addColorStop(0.6, 'rgba(30,10,10,0.15)');
    shade.addColorStop(1, 'rgba(30,10,10,0.55)');
    ctx.fillStyle = shade;
    ctx.fillRect(0, 0, r.w, r.h);
  } else {
    // No teeth in the photo: a soft, slightly shaded upper-teeth band that stops short of the corners.
    const band = Math.min(0.07 * mw, 0.3 * gap);
    const lerp = (a: Point, b: Point, t: number) => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
    const upper = [lerp(moved[60]!, moved[61]!, 0.55), moved[61]!, moved[62]!, moved[63]!, lerp(moved[64]!, moved[63]!, 0.55)];
    const teeth = [...upper, ...[...upper].reverse().map((p) => ({ x: p.x, y: p.y + band }))];
    const tg = ctx.createLinearGradient(0, Math.min(...upper.map((p) => p.y)) - r.y, 0, Math.max(...upper.map((p) => p.y)) + band - r.y);
    tg.addColorStop(0, 'rgba(222,212,198,0.92)');
    tg.addColorStop(1, 'rgba(165,150,136,0.85)');
    ctx.filter = 'blur(1px)';
    ctx.fillStyle = tg;
    smoothPath(ctx, teeth, r);
    ctx.fill();
    ctx.filter = 'none';
  }
  ctx.restore();
  writeBack(frame, r, ctx);
  return r;
}

/** Draws a soft lash line along each closed upper lid (36→37→38→39 and 42→43→44→45). */
export function paintLashes(frame: RgbaFrame, moved: Point[]): Box {
  const lids = [[36, 37, 38, 39], [42, 43, 44, 45]].map((ids) => ids.map((i) => moved[i]!));
  const all = lids.flat();
  const r = bounds(all, 4, frame);
  const { ctx } = regionCanvas(frame, r);
  const eyeW = Math.hypot(moved[39]!.x - moved[36]!.x, moved[39]!.y - moved[36]!.y);
  ctx.filter = 'blur(1px)';
  ctx.strokeStyle = 'rgba(45,30,25,0.55)';
  ctx.lineWidth = Math.max(1.5, 0.07 * eyeW);
  ctx.lineCap = 'round';
  for (const lid of lids) {
    ctx.beginPath();
    ctx.moveTo(lid[0]!.x - r.x, lid[0]!.y - r.y);
    ctx.bezierCurveTo(lid[1]!.x - r.x, lid[1]!.y - r.y, lid[2]!.x - r.x, lid[2]!.y - r.y, lid[3]!.x - r.x, lid[3]!.y - r.y);
    ctx.stroke();
  }
  writeBack(frame, r, ctx);
  return r;
}
