import type { Point } from '../prepared';
import { faceAxes } from './mesh';

/** Largest jaw drop as a fraction of the mouth width (the probe found 0.38 cartoonish). */
export const MAX_OPENING = 0.3;

/** Downward share of the opening per landmark: lower lips and chin follow fully, the jaw tapers off. */
const OPEN_WEIGHTS: Record<number, number> = {
  4: 0.15, 5: 0.45, 6: 0.7, 7: 0.9, 8: 1, 9: 0.9, 10: 0.7, 11: 0.45, 12: 0.15,
  55: 0.8, 56: 0.95, 57: 1, 58: 0.95, 59: 0.8,
  65: 0.95, 66: 1, 67: 0.95,
  48: 0.3, 54: 0.3, 60: 0.3, 64: 0.3,
  61: -0.1, 62: -0.1, 63: -0.1,
};
const CORNERS = [48, 54, 60, 64];

export const mouthWidth = (l: Point[]) => Math.hypot(l[54]!.x - l[48]!.x, l[54]!.y - l[48]!.y);
const mouthCentre = (l: Point[]) => ({ x: (l[48]!.x + l[54]!.x) / 2, y: (l[48]!.y + l[54]!.y) / 2 });

/** Inner-lip gap of a landmark set (mean of 61–67, 62–66, 63–65 along the face's down axis). Pure. */
export function innerGap(l: Point[]): number {
  const { down } = faceAxes(l);
  const pairs: Array<[number, number]> = [[61, 67], [62, 66], [63, 65]];
  return pairs.reduce((s, [a, b]) => s + ((l[b]!.x - l[a]!.x) * down.x + (l[b]!.y - l[a]!.y) * down.y), 0) / pairs.length;
}

/**
 * The mouth opened by `opening` pixels (jaw drop): lower lip and chin move down along the face axis,
 * corners move down a little and `pinch` (fraction of mouth width) towards the centre. Pure.
 */
export function openMouth(l: Point[], opening: number, pinch = 0.06): Point[] {
  const { down } = faceAxes(l);
  const c = mouthCentre(l);
  const mw = mouthWidth(l);
  return l.map((p, i) => {
    const w = OPEN_WEIGHTS[i];
    if (w === undefined) return p;
    let x = p.x + down.x * w * opening;
    let y = p.y + down.y * w * opening;
    if (CORNERS.includes(i)) {
      const dx = c.x - p.x;
      const dy = c.y - p.y;
      const len = Math.hypot(dx, dy) || 1;
      x += (dx / len) * pinch * mw;
      y += (dy / len) * pinch * mw;
    }
    return { x, y };
  });
}

/** Rounded lips (o/u/w): a small opening with the corners pulled well in. Pure. */
export function roundMouth(l: Point[]): Point[] {
  return openMouth(l, 0.45 * MAX_OPENING * mouthWidth(l), 0.17);
}

/** Lips pressed together (m/b/p): the lower lip rises to meet the upper one, the jaw follows a little. Pure. */
export function closeMouth(l: Point[]): Point[] {
  const { down } = faceAxes(l);
  const gap = Math.max(0, innerGap(l));
  const move = (p: Point, k: number) => ({ x: p.x - down.x * k * gap, y: p.y - down.y * k * gap });
  return l.map((p, i) => {
    if (i >= 61 && i <= 63) return move(p, -0.3); // upper inner lip comes down a little
    if (i >= 65 && i <= 67) return move(p, 0.7);
    if (i >= 55 && i <= 59) return move(p, i === 55 || i === 59 ? 0.45 : 0.65);
    if (i >= 6 && i <= 10) return move(p, i === 8 ? 0.4 : 0.25);
    return p;
  });
}

/** Eyes closed: upper lids (37, 38, 43, 44) come down onto the lower lids (41, 40, 47, 46). Pure. */
export function closeEyes(l: Point[], amount = 0.9): Point[] {
  const pairs: Record<number, number> = { 37: 41, 38: 40, 43: 47, 44: 46 };
  return l.map((p, i) => {
    const to = pairs[i];
    if (to === undefined) return p;
    const q = l[to]!;
    return { x: p.x + (q.x - p.x) * amount, y: p.y + (q.y - p.y) * amount };
  });
}

/** Openings in pixels for `levels` mouth sprites: 0 (the photo's own mouth) up to MAX_OPENING × mouth width. */
export function openingLevels(l: Point[], levels: number): number[] {
  const max = MAX_OPENING * mouthWidth(l);
  return Array.from({ length: levels }, (_, k) => (k / (levels - 1)) * max);
}
