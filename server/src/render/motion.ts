/**
 * Head and face life for the photo renderer: a slow sway, nods on stressed syllables, eyebrows lifting on
 * the strongest emphasis and breathing-scale motion in pauses, as a small head pose per frame. Pure and
 * deterministic (seeded), so a render is reproducible and segments of a campaign join without a seam: every
 * clip starts and ends with the head at rest.
 */

/** A head pose in output-frame pixels: roll about the neck, a shift of the head, and how far the brows lift. */
export interface HeadPose {
  /** Roll in degrees (positive = clockwise on screen) about the neck pivot. */
  roll: number;
  /** Head shift in output pixels (x right, y down; a nod is a positive dy). */
  dx: number;
  dy: number;
  /** Eyebrow lift in output pixels (up). */
  brow: number;
}

export const REST_POSE: HeadPose = Object.freeze({ roll: 0, dx: 0, dy: 0, brow: 0 });

/** Limits of the motion, in degrees and as shares of the face width (cheek to cheek) in the output frame. */
export interface MotionLimits {
  maxRollDeg: number;
  /** Largest head shift (sway + nod + breathing) per axis, × face width. */
  maxShift: number;
  /** Largest brow lift, × face width. */
  maxBrow: number;
}

/** "A few degrees at most": about 1.5° of roll and shifts of 1.2 % of the face width (≈ 3 px at 720x1280). */
export const DEFAULT_LIMITS: MotionLimits = { maxRollDeg: 1.6, maxShift: 0.012, maxBrow: 0.014 };

/** Seconds over which the head leaves rest at the start of a clip and returns to it at the end. */
export const REST_RAMP_SEC = 0.4;

export interface MotionInput {
  fps: number;
  frameCount: number;
  /** Loudness per frame, 0–1 (0 = silence), as the frame plan normalises it. */
  loud: Float32Array;
  /** Cheek-to-cheek face width in output pixels (scales the shifts). */
  faceWidthPx: number;
  limits?: MotionLimits;
  seed?: number;
}

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const smooth = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));
/** A smooth bump 0 → 1 → 0 over [0, 1]. */
const bump = (u: number) => (u <= 0 || u >= 1 ? 0 : Math.sin(Math.PI * u) ** 2);

/** Frames that start a stressed syllable: loudness peaks in the top quarter of the voiced frames, ≥ gapSec apart. */
export function emphasisPeaks(loud: Float32Array, fps: number, gapSec = 1.1, quantile = 0.75): number[] {
  const voiced = Array.from(loud).filter((v) => v > 0).sort((a, b) => a - b);
  if (voiced.length < fps / 2) return [];
  const q = voiced[Math.floor(quantile * (voiced.length - 1))]!;
  const peaks: number[] = [];
  const w = Math.round(0.12 * fps);
  for (let f = 0; f < loud.length; f++) {
    const v = loud[f]!;
    if (v < q) continue;
    let isMax = true;
    for (let k = Math.max(0, f - w); k <= Math.min(loud.length - 1, f + w); k++) if (loud[k]! > v) isMax = false;
    if (!isMax) continue;
    // The syllable's onset: walk back while the loudness is still rising.
    let onset = f;
    while (onset > 0 && loud[onset - 1]! > 0 && loud[onset - 1]! < loud[onset]!) onset--;
    if (peaks.length && onset - peaks[peaks.length - 1]! < gapSec * fps) continue;
    peaks.push(onset);
  }
  return peaks;
}

/** Share of voiced frames in a centred window of `sec` seconds, per frame (0–1). */
function activity(loud: Float32Array, fps: number, sec: number): Float32Array {
  const n = loud.length;
  const half = Math.max(1, Math.round((sec * fps) / 2));
  const pre = new Float32Array(n + 1);
  for (let i = 0; i < n; i++) pre[i + 1] = pre[i]! + (loud[i]! > 0 ? 1 : 0);
  return Float32Array.from({ length: n }, (_, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    return (pre[b]! - pre[a]!) / (b - a);
  });
}

/**
 * The head pose of every frame: sway (two slow incommensurate sines per axis) that grows while talking,
 * a nod down-and-back at each stressed syllable, brows lifting on every second emphasis, breathing in
 * pauses, all clamped to the limits and faded to rest at both ends of the clip.
 */
export function planMotion(m: MotionInput): HeadPose[] {
  const lim = m.limits ?? DEFAULT_LIMITS;
  const r = rng(m.seed ?? 11);
  const ph = Array.from({ length: 6 }, () => r() * 2 * Math.PI);
  const shift = lim.maxShift * m.faceWidthPx;
  const browMax = lim.maxBrow * m.faceWidthPx;
  const act = activity(m.loud, m.fps, 1.2);
  const peaks = emphasisPeaks(m.loud, m.fps);
  const nod = new Float32Array(m.frameCount);
  const brow = new Float32Array(m.frameCount);
  const nodLen = Math.round(0.55 * m.fps);
  const browLen = Math.round(0.7 * m.fps);
  peaks.forEach((p, k) => {
    const strength = 0.65 + 0.35 * Math.min(1, m.loud[p] ?? 0);
    const start = p - Math.round(0.08 * m.fps);
    for (let f = Math.max(0, start); f < Math.min(m.frameCount, start + nodLen); f++) nod[f] = Math.max(nod[f]!, strength * bump((f - start) / nodLen));
    if (k % 2 === 0) {
      const bs = p - Math.round(0.12 * m.fps);
      for (let f = Math.max(0, bs); f < Math.min(m.frameCount, bs + browLen); f++) brow[f] = Math.max(brow[f]!, bump((f - bs) / browLen));
    }
  });
  const T = m.frameCount / m.fps;
  const clamp = (v: number, a: number) => Math.max(-a, Math.min(a, v));
  const poses: HeadPose[] = [];
  for (let f = 0; f < m.frameCount; f++) {
    const t = f / m.fps;
    const env = smooth(t / REST_RAMP_SEC) * smooth((T - t - 1 / m.fps) / REST_RAMP_SEC);
    const talk = 0.45 + 0.55 * act[f]!;
    const sway = talk * (0.65 * Math.sin((2 * Math.PI * t) / 5.3 + ph[0]!) + 0.35 * Math.sin((2 * Math.PI * t) / 2.9 + ph[1]!));
    const swayX = talk * (0.7 * Math.sin((2 * Math.PI * t) / 6.1 + ph[2]!) + 0.3 * Math.sin((2 * Math.PI * t) / 3.7 + ph[3]!));
    const breath = (1 - act[f]!) * Math.sin((2 * Math.PI * t) / 3.6 + ph[4]!);
    const roll = clamp(0.8 * lim.maxRollDeg * sway, lim.maxRollDeg);
    const dx = clamp(0.6 * shift * swayX, shift);
    const dy = clamp(0.75 * shift * nod[f]! + 0.18 * shift * breath + 0.12 * shift * Math.sin((2 * Math.PI * t) / 4.4 + ph[5]!), shift);
    poses.push({ roll: roll * env, dx: dx * env, dy: dy * env, brow: browMax * brow[f]! * env });
  }
  return poses;
}

/** How far a pose moves the face, in output pixels at the given face radius (for quantizing updates). */
export function poseDistance(a: HeadPose, b: HeadPose, radiusPx: number): number {
  return Math.abs(a.dx - b.dx) + Math.abs(a.dy - b.dy) + Math.abs(a.brow - b.brow) + (Math.abs(a.roll - b.roll) * Math.PI * radiusPx) / 180;
}

export const isRest = (p: HeadPose) => p.roll === 0 && p.dx === 0 && p.dy === 0 && p.brow === 0;

/**
 * Holds poses so the head is re-drawn only when it moved enough to see: when the mouth sprite changes anyway
 * (the frame is new) after ≥ `onChangePx`, else after ≥ `stillPx`. Near-rest poses snap to rest (those frames
 * reuse the sprite as it is). Keeps the count of distinct frames close to that of a still head.
 *
 * `waitFrames` > 0: a re-pose that would fall on a frame whose sprite does not change waits up to that many
 * frames for the next sprite change (during speech the mouth changes every frame or two), so the head moves on
 * a frame that is encoded anyway instead of adding one; in pauses (no change coming) it re-poses at once.
 */
export function quantizePoses(poses: HeadPose[], spriteChanged: boolean[], radiusPx: number, stillPx = 0.6, onChangePx = 0.2, waitFrames = 0): HeadPose[] {
  const out: HeadPose[] = [];
  let cur: HeadPose = REST_POSE;
  const changeWithin = (i: number) => {
    for (let k = i + 1; k <= Math.min(spriteChanged.length - 1, i + waitFrames); k++) if (spriteChanged[k]) return true;
    return false;
  };
  for (let i = 0; i < poses.length; i++) {
    const want = poses[i]!;
    const nearRest = poseDistance(want, REST_POSE, radiusPx) < 0.12;
    const d = poseDistance(want, cur, radiusPx);
    if (nearRest) cur = REST_POSE;
    else if (spriteChanged[i] ? d >= Math.min(onChangePx, stillPx) : d >= stillPx && (d >= 2 * stillPx || !changeWithin(i))) cur = want;
    out.push(cur);
  }
  return out;
}
