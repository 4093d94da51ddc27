import type { Point, PrepareFailure } from '../prepared';

/** One detected face in source-image pixels. */
export interface FaceCandidate {
  score: number;
  box: { x: number; y: number; width: number; height: number };
  /** The 68 landmarks (iBUG order). */
  landmarks: Point[];
  detector: 'tiny' | 'ssd';
}

/** Face shape in a roll-corrected frame: origin between the eyes, unit = eye distance, y downwards. */
export interface FaceMeasures {
  eyeDistPx: number;
  rollDeg: number;
  /** Cheek-to-cheek width (landmarks 0–16) in source pixels. */
  widthPx: number;
  mouth: Point;
  nose: Point;
  chinY: number;
  jawWidth: number;
  /** Nose tip between the cheeks: 0.5 is frontal, towards 0 or 1 the head is turned. */
  yaw: number;
  eyeDistToBox: number;
  mouthCentrePx: Point;
  mouthWidthPx: number;
}

/** Thresholds; every one was checked against the fixtures (human faces vs skimage's cat, see face tests). */
export const FACE_LIMITS = {
  mouthY: [0.85, 1.7],
  noseY: [0.3, 1.0],
  chinY: [1.4, 2.8],
  jawWidth: [1.8, 3.2],
  eyeDistToBox: [0.2, 0.75],
  mouthX: 0.45,
  yaw: [0.3, 0.7],
  rollDeg: 30,
  /** A second face counts when it is at least this fraction of the largest face's width. */
  secondFace: 0.5,
} as const;

const mean = (ps: Point[]): Point => ({
  x: ps.reduce((a, p) => a + p.x, 0) / ps.length,
  y: ps.reduce((a, p) => a + p.y, 0) / ps.length,
});
const at = (ls: Point[], i: number): Point => {
  const p = ls[i];
  if (!p) throw new Error(`landmark ${i} missing (got ${ls.length})`);
  return p;
};
const inRange = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

/** Measures a face from its 68 landmarks and detection box. Pure. */
export function measureFace(landmarks: Point[], boxWidth: number): FaceMeasures {
  const le = mean(landmarks.slice(36, 42));
  const re = mean(landmarks.slice(42, 48));
  const mid = { x: (le.x + re.x) / 2, y: (le.y + re.y) / 2 };
  const ed = Math.hypot(re.x - le.x, re.y - le.y) || 1;
  const ang = Math.atan2(re.y - le.y, re.x - le.x);
  const cos = Math.cos(-ang);
  const sin = Math.sin(-ang);
  const local = (q: Point): Point => {
    const dx = q.x - mid.x;
    const dy = q.y - mid.y;
    return { x: (dx * cos - dy * sin) / ed, y: (dx * sin + dy * cos) / ed };
  };
  const mouthPx = mean(landmarks.slice(48, 60));
  const j0 = local(at(landmarks, 0));
  const j16 = local(at(landmarks, 16));
  const nose = local(at(landmarks, 30));
  const jawWidth = j16.x - j0.x;
  return {
    eyeDistPx: ed,
    rollDeg: (ang * 180) / Math.PI,
    widthPx: Math.hypot(at(landmarks, 16).x - at(landmarks, 0).x, at(landmarks, 16).y - at(landmarks, 0).y),
    mouth: local(mouthPx),
    nose,
    chinY: local(at(landmarks, 8)).y,
    jawWidth,
    yaw: jawWidth > 0 ? (nose.x - j0.x) / jawWidth : 0,
    eyeDistToBox: ed / (boxWidth || 1),
    mouthCentrePx: mouthPx,
    mouthWidthPx: Math.hypot(at(landmarks, 54).x - at(landmarks, 48).x, at(landmarks, 54).y - at(landmarks, 48).y),
  };
}

/** Whether the landmarks have a human face's proportions (eyes above nose above mouth above chin). */
export function isPlausibleFace(m: FaceMeasures): boolean {
  const L = FACE_LIMITS;
  return (
    inRange(m.mouth.y, L.mouthY) &&
    inRange(m.nose.y, L.noseY) &&
    m.nose.y < m.mouth.y - 0.15 &&
    inRange(m.chinY, L.chinY) &&
    m.chinY > m.mouth.y + 0.3 &&
    inRange(m.jawWidth, L.jawWidth) &&
    inRange(m.eyeDistToBox, L.eyeDistToBox) &&
    Math.abs(m.mouth.x) <= L.mouthX
  );
}

export type FaceVerdict =
  | { ok: true; face: FaceCandidate; measures: FaceMeasures }
  | { ok: false; reason: PrepareFailure; detail: string; faces: number };

/** Picks the one usable face or says why the photo is refused. Pure; widths are in source pixels. */
export function judgeFaces(candidates: FaceCandidate[], minFaceWidthPx: number): FaceVerdict {
  const faces = candidates
    .map((face) => ({ face, measures: measureFace(face.landmarks, face.box.width) }))
    .filter((f) => isPlausibleFace(f.measures))
    .sort((a, b) => b.measures.widthPx - a.measures.widthPx);
  const main = faces[0];
  if (!main) return { ok: false, reason: 'no_face', detail: `${candidates.length} candidate(s), none face-shaped`, faces: 0 };
  const sizeable = faces.filter((f) => f.measures.widthPx >= FACE_LIMITS.secondFace * main.measures.widthPx);
  if (sizeable.length >= 2) return { ok: false, reason: 'multiple_faces', detail: `${sizeable.length} faces`, faces: sizeable.length };
  const m = main.measures;
  if (m.widthPx < minFaceWidthPx) {
    return { ok: false, reason: 'face_too_small', detail: `face ${Math.round(m.widthPx)} px wide < ${minFaceWidthPx}`, faces: 1 };
  }
  if (!inRange(m.yaw, FACE_LIMITS.yaw) || Math.abs(m.rollDeg) > FACE_LIMITS.rollDeg) {
    return { ok: false, reason: 'face_not_frontal', detail: `yaw ${m.yaw.toFixed(2)}, roll ${m.rollDeg.toFixed(0)}°`, faces: 1 };
  }
  return { ok: true, face: main.face, measures: m };
}
