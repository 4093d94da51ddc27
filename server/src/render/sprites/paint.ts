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
  // The throat: darker the wider the mouth opens (more depth shows), lighter only right at the lips.
  const depth = Math.min(1, gap / (0.3 * mw));
  const g = ctx.createRadialGradient(c.x - r.x, c.y - r.y, 1, c.x - r.x, c.y - r.y, Math.max(mw / 2, gap));
  g.addColorStop(0, `rgb(${Math.round(40 - 18 * depth)},${Math.round(12 - 6 * depth)},${Math.round(14 - 6 * depth)})`);
  g.addColorStop(0.7, `rgb(${Math.round(70 - 20 * depth)},${Math.round(26 - 8 * depth)},${Math.round(26 - 8 * depth)})`);
  g.addColorStop(1, 'rgb(104,46,44)');
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
    paintTeeth(ctx, moved, r, mw, gap);
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

/**
 * Synthetic teeth for a photo with a closed mouth: eight upper teeth hanging from the upper lip, each a
 * rounded, top-shaded shape whose visible height follows the opening, fading towards the mouth corners
 * (the sides of a mouth are in shadow), so there is no flat white band; on wide openings the lower teeth show,
 * smaller and darker, above the lower lip. Drawn clipped to the inner lip (the caller's clip is active).
 */
function paintTeeth(ctx: SKRSContext2D, moved: Point[], r: Box, mw: number, gap: number): void {
  const rel = (p: Point) => ({ x: p.x - r.x, y: p.y - r.y });
  const upperLip = [60, 61, 62, 63, 64].map((i) => rel(moved[i]!));
  const lowerLip = [60, 67, 66, 65, 64].map((i) => rel(moved[i]!));
  const yAt = (line: Point[], x: number) => {
    for (let k = 0; k + 1 < line.length; k++) {
      const a = line[k]!;
      const b = line[k + 1]!;
      if ((x - a.x) * (x - b.x) <= 0 && a.x !== b.x) return a.y + ((x - a.x) / (b.x - a.x)) * (b.y - a.y);
    }
    return x < line[0]!.x ? line[0]!.y : line[line.length - 1]!.y;
  };
  const cx = (upperLip[0]!.x + upperLip[4]!.x) / 2;
  // Half the row, from the middle out: central and lateral incisors, canine, premolar (× mouth width).
  const widths = [0.105, 0.088, 0.082, 0.075];
  const h = Math.min(0.13 * mw, 0.55 * gap);
  const toothGap = 0.007 * mw;
  const drawTooth = (x0: number, x1: number, yTop: number, height: number, alpha: number, lower: boolean) => {
    const w = x1 - x0;
    const rad = Math.min(0.3 * w, 0.4 * height);
    const g = ctx.createLinearGradient(0, lower ? yTop + height : yTop, 0, lower ? yTop : yTop + height);
    g.addColorStop(0, `rgba(120,104,94,${alpha})`);
    g.addColorStop(0.3, `rgba(214,205,192,${alpha})`);
    g.addColorStop(1, `rgba(190,180,166,${alpha})`);
    ctx.fillStyle = g;
    ctx.beginPath();
    if (lower) {
      ctx.moveTo(x0, yTop + height);
      ctx.lineTo(x0, yTop + rad);
      ctx.quadraticCurveTo(x0, yTop, x0 + rad, yTop);
      ctx.lineTo(x1 - rad, yTop);
      ctx.quadraticCurveTo(x1, yTop, x1, yTop + rad);
      ctx.lineTo(x1, yTop + height);
    } else {
      ctx.moveTo(x0, yTop);
      ctx.lineTo(x1, yTop);
      ctx.lineTo(x1, yTop + height - rad);
      ctx.quadraticCurveTo(x1, yTop + height, x1 - rad, yTop + height);
      ctx.lineTo(x0 + rad, yTop + height);
      ctx.quadraticCurveTo(x0, yTop + height, x0, yTop + height - rad);
    }
    ctx.closePath();
    ctx.fill();
  };
  ctx.filter = 'blur(0.5px)';
  for (const side of [-1, 1]) {
    let x = cx;
    widths.forEach((wFrac, k) => {
      const w = wFrac * mw;
      const a = x + side * toothGap / 2;
      const b = x + side * (w - toothGap / 2);
      const x0 = Math.min(a, b);
      const x1 = Math.max(a, b);
      const top = yAt(upperLip, (x0 + x1) / 2) - 2;
      const alpha = [0.93, 0.85, 0.62, 0.38][k]!;
      drawTooth(x0, x1, top, h * (1 - 0.12 * k) + 2, alpha, false);
      if (gap > 0.16 * mw && k < 3) {
        const lh = Math.min(0.06 * mw, 0.25 * gap) * (1 - 0.15 * k);
        const lw = 0.8 * (x1 - x0);
        const lx0 = (x0 + x1) / 2 - lw / 2;
        const bottom = yAt(lowerLip, (x0 + x1) / 2) + 2;
        drawTooth(lx0, lx0 + lw, bottom - lh - 2, lh + 2, 0.55 * alpha, true);
      }
      x += side * w;
    });
  }
  ctx.filter = 'none';
  // The upper lip's shadow over the top of the teeth.
  const top = Math.min(...upperLip.map((p) => p.y));
  const sh = ctx.createLinearGradient(0, top - 1, 0, top + 0.45 * h);
  sh.addColorStop(0, 'rgba(35,12,12,0.5)');
  sh.addColorStop(1, 'rgba(35,12,12,0)');
  ctx.fillStyle = sh;
  ctx.fillRect(0, 0, r.w, r.h);
}
