import Delaunator from 'delaunator';
import type { Point } from '../prepared';

/**
 * The warp mesh: 68 landmarks, then static cheek anchors, a static ellipse around the face and static
 * frame-border points.
 */
export interface Mesh {
  points: Point[];
  /** Vertex indices, three per triangle. */
  triangles: Uint32Array;
}

export const ELLIPSE_POINTS = 16;

/** Unit vectors of the face: `right` along the eye line, `down` towards the chin. Pure. */
export function faceAxes(landmarks: Point[]): { right: Point; down: Point; eyeMid: Point } {
  const mean = (a: number, b: number) => {
    let x = 0;
    let y = 0;
    for (let i = a; i < b; i++) {
      x += landmarks[i]!.x;
      y += landmarks[i]!.y;
    }
    return { x: x / (b - a), y: y / (b - a) };
  };
  const le = mean(36, 42);
  const re = mean(42, 48);
  const len = Math.hypot(re.x - le.x, re.y - le.y) || 1;
  const right = { x: (re.x - le.x) / len, y: (re.y - le.y) / len };
  return { right, down: { x: -right.y, y: right.x }, eyeMid: { x: (le.x + re.x) / 2, y: (le.y + re.y) / 2 } };
}

/**
 * Builds the mesh for landmarks in a width x height frame. The ellipse reaches well below the chin so a
 * dropping jaw stretches the neck smoothly instead of tearing. Pure.
 */
export function buildMesh(landmarks: Point[], width: number, height: number): Mesh {
  const { right, down, eyeMid } = faceAxes(landmarks);
  const chin = landmarks[8]!;
  const h = Math.hypot(chin.x - eyeMid.x, chin.y - eyeMid.y);
  const jaw = Math.hypot(landmarks[16]!.x - landmarks[0]!.x, landmarks[16]!.y - landmarks[0]!.y);
  const centre = { x: eyeMid.x + down.x * 0.55 * h, y: eyeMid.y + down.y * 0.55 * h };
  const a = 0.85 * jaw;
  const b = 1.15 * h;
  const clampX = (v: number) => Math.max(0, Math.min(width - 1, v));
  const clampY = (v: number) => Math.max(0, Math.min(height - 1, v));
  const ellipse: Point[] = [];
  for (let i = 0; i < ELLIPSE_POINTS; i++) {
    const t = (2 * Math.PI * i) / ELLIPSE_POINTS;
    const u = a * Math.cos(t);
    const v = b * Math.sin(t);
    ellipse.push({ x: clampX(centre.x + u * right.x + v * down.x), y: clampY(centre.y + u * right.y + v * down.y) });
  }
  const w = width - 1;
  const hh = height - 1;
  const border: Point[] = [
    { x: 0, y: 0 }, { x: w / 2, y: 0 }, { x: w, y: 0 }, { x: w, y: hh / 2 },
    { x: w, y: hh }, { x: w / 2, y: hh }, { x: 0, y: hh }, { x: 0, y: hh / 2 },
  ];
  // Cheek anchors split the long eye-to-mouth-corner triangles, so moving the mouth never reaches the eyes.
  const mid = (a: number, b: number) => ({ x: (landmarks[a]!.x + landmarks[b]!.x) / 2, y: (landmarks[a]!.y + landmarks[b]!.y) / 2 });
  const cheeks = [mid(41, 48), mid(46, 54), mid(3, 31), mid(13, 35), mid(40, 31), mid(47, 35)];
  const points = [...landmarks, ...cheeks, ...ellipse, ...border];
  const d = Delaunator.from(points, (p) => p.x, (p) => p.y);
  return { points, triangles: d.triangles };
}
