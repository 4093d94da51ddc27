import type { SpeechMark } from '../media/tts';
import { planMotion, quantizePoses, REST_POSE, type HeadPose, type MotionLimits } from './motion';
import { visemeOf } from './visemes';

/** The mouth in one frame: an opening level (index into PreparedAvatar.mouth), lips pressed, or rounded. */
export type Mouth = number | 'closed' | 'rounded';
export interface PlannedFrame {
  mouth: Mouth;
  blink: boolean;
  /** Head pose (REST_POSE when the head is still or head motion is off). */
  pose: HeadPose;
}

/** Head motion of a plan: face size in the output frame and limits; null/absent = lips only. */
export interface MotionPlanOptions {
  faceWidthPx: number;
  radiusPx: number;
  limits?: MotionLimits;
}

export interface PlanInput {
  fps: number;
  /** Frames to plan (speech duration × fps, rounded up). */
  frameCount: number;
  /** Number of mouth opening levels in the sprite set (index 0 = the photo's own mouth, at rest). */
  levels: number;
  /** Loudness in dBFS per frame (frameLoudnessDb). */
  loudnessDb: Float32Array;
  /** TTS phoneme timings; without them the mouth follows the audio envelope (recordings). */
  marks?: SpeechMark[];
  /** Seed for blink timing, so a render is reproducible. */
  seed?: number;
  /** Head motion; absent or null keeps the head still (lips, blinks only). */
  motion?: MotionPlanOptions | null;
  /** Test hook: the mouth never moves (proves the quality gate catches a frozen face). */
  frozenMouth?: boolean;
}

/** Frames a mouth shape holds at least, so it does not flicker; lips stay closed at least this long on m/b/p. */
export const MIN_HOLD = 2;
export const BLINK_FRAMES = 3;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] ?? 0;

/**
 * Loudness per frame as 0–1: gated (silence → 0) and normalised between quantiles of the voiced frames, so
 * a quiet recording and espeak's compressed dynamics both use the whole range.
 */
export function normaliseLoudness(db: Float32Array): Float32Array {
  const voicedAll = Array.from(db).filter((d) => d > -100).sort((a, b) => a - b);
  const peak = quantile(voicedAll, 0.95);
  const gate = Math.max(-50, peak - 30);
  const ref = 10 ** (peak / 20);
  return Float32Array.from(db, (d) => (d <= gate ? 0 : Math.min(1, Math.max(0.05, 10 ** (d / 20) / ref))));
}

/** Phoneme marks sorted by start, without zero-length ones. */
function phonemeMarks(marks: SpeechMark[] | undefined): SpeechMark[] {
  return (marks ?? []).filter((m) => m.kind === 'phoneme' && m.endMs > m.startMs).sort((a, b) => a.startMs - b.startMs);
}

/** How far ahead of the sound the lips move (real lips lead the audio by a few tens of ms). */
export const LIP_LEAD_MS = 10;
/**
 * How far (in levels) the opening must move before the mouth sprite changes (see desiredMouths). Measured on a
 * 30 s render: 1.0 cuts the encoded frames from 557 to 419 for r 0.892 → 0.879.
 */
export const HYSTERESIS = 1.0;
/** Share of a phoneme's end during which the mouth already moves towards the next shape (coarticulation). */
const ANTICIPATION = 0.45;

const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/**
 * The jaw opening asked of one viseme, 0–1: wide vowels fully, rounded and close vowels less, consonants
 * little. Loudness then scales it frame by frame.
 */
function opennessOf(m: SpeechMark | undefined): number {
  if (!m) return 0.5;
  const v = visemeOf(m.value);
  return v.viseme === 'closed' ? 0 : v.openness;
}

/**
 * The desired mouth per frame before smoothing. The opening is the loudness of the frame (so the jaw follows
 * the voice within a viseme) times the viseme's openness, blended towards the next phoneme during the last
 * part of the current one (coarticulation: the mouth anticipates the next shape). Lips close on every
 * m/b/p that overlaps the frame, and round on o/u/w. Without marks (a recording), the loudness alone drives it.
 */
function desiredMouths(p: PlanInput, loud: Float32Array): Mouth[] {
  const top = p.levels - 1;
  // Hysteresis: an opening that hovers between two levels keeps the level it had (no flicker, fewer frames
  // to encode); a real move of more than HYSTERESIS of a level is followed at once.
  let prev: Mouth = 0;
  const level = (x: number) => {
    const v = Math.max(1, Math.min(top, x * top));
    return typeof prev === 'number' && prev > 0 && Math.abs(v - prev) < HYSTERESIS ? prev : Math.max(1, Math.min(top, Math.round(v)));
  };
  const phonemes = phonemeMarks(p.marks);
  const frameMs = 1000 / p.fps;
  const out: Mouth[] = [];
  const push = (m: Mouth) => {
    out.push(m);
    prev = m;
  };
  let cursor = 0;
  for (let f = 0; f < p.frameCount; f++) {
    const l = loud[f] ?? 0;
    if (!phonemes.length) {
      push(l > 0.04 ? level(l) : 0);
      continue;
    }
    const t0 = f * frameMs + LIP_LEAD_MS;
    const t1 = t0 + frameMs;
    const tc = (t0 + t1) / 2;
    while (cursor < phonemes.length && phonemes[cursor]!.endMs <= t0) cursor++;
    // Every bilabial that overlaps the frame closes the lips (even a short one between two frames' centres).
    let closed = false;
    let cur: SpeechMark | undefined;
    for (let i = cursor; i < phonemes.length && phonemes[i]!.startMs < t1; i++) {
      const m = phonemes[i]!;
      if (visemeOf(m.value).viseme === 'closed') {
        const overlap = Math.min(m.endMs, t1) - Math.max(m.startMs, t0);
        const mid = (m.startMs + m.endMs) / 2;
        if (overlap >= 0.5 * Math.min(frameMs, m.endMs - m.startMs) || (mid >= t0 && mid < t1)) closed = true;
      }
      if (m.startMs <= tc && m.endMs > tc) cur = m;
    }
    if (closed) {
      push('closed');
      continue;
    }
    if (l === 0) {
      push(0);
      continue;
    }
    if (!cur) {
      push(l > 0.04 ? level(l * 0.9) : 0);
      continue;
    }
    const idx = phonemes.indexOf(cur, cursor);
    const next = phonemes[idx + 1];
    const dur = cur.endMs - cur.startMs;
    const into = (tc - cur.startMs) / dur;
    const blend = next && next.startMs - cur.endMs < 60 ? smoothstep((into - (1 - ANTICIPATION)) / ANTICIPATION) * 0.6 : 0;
    const v = opennessOf(cur) * (1 - blend) + opennessOf(next) * blend;
    const vis = visemeOf(cur.value).viseme;
    if (vis === 'rounded' && blend < 0.5 && l > 0.35 && l < 0.75) {
      push('rounded');
      continue;
    }
    push(level(l * (0.7 + 0.3 * v)));
  }
  return out;
}

/** Light temporal filter of the loudness ([1 4 1]/6): the jaw moves smoothly instead of jittering. */
export function filterLoud(l: Float32Array): Float32Array {
  return Float32Array.from(l, (v, i) => (v === 0 ? 0 : (l[i - 1] ?? v) / 6 + (4 * v) / 6 + (l[i + 1] ?? v) / 6));
}

/** Lips stay shut at least MIN_HOLD frames on every m/b/p: a one-frame closure takes the next frame too. */
export function holdClosures(m: Mouth[]): Mouth[] {
  const out = [...m];
  for (let i = 0; i < out.length; i++) {
    if (m[i] !== 'closed' || m[i - 1] === 'closed' || m[i + 1] === 'closed') continue;
    if (i + 1 < out.length) out[i + 1] = 'closed';
    else if (i > 0) out[i - 1] = 'closed';
  }
  return out;
}

/** Deterministic PRNG (mulberry32) for blink timing. */
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

/** Frame indices that start a blink: every 3–5 s, the first after 1–2.5 s. */
export function blinkStarts(frameCount: number, fps: number, seed = 1): number[] {
  const r = rng(seed);
  const starts: number[] = [];
  let t = 1 + r() * 1.5;
  while (Math.round(t * fps) + BLINK_FRAMES <= frameCount) {
    starts.push(Math.round(t * fps));
    t += 3 + r() * 2;
  }
  return starts;
}

/** The whole plan: a mouth and a blink flag per frame. */
export function planFrames(p: PlanInput): PlannedFrame[] {
  const loud = normaliseLoudness(p.loudnessDb);
  const mouths = p.frozenMouth ? new Array<Mouth>(p.frameCount).fill(0) : holdClosures(desiredMouths(p, filterLoud(loud)));
  const blink = new Uint8Array(p.frameCount);
  for (const s of blinkStarts(p.frameCount, p.fps, p.seed)) blink.fill(1, s, s + BLINK_FRAMES);
  const frames: PlannedFrame[] = mouths.map((mouth, i) => ({ mouth, blink: blink[i] === 1, pose: REST_POSE }));
  if (p.motion) {
    const raw = planMotion({ fps: p.fps, frameCount: p.frameCount, loud: Float32Array.from({ length: p.frameCount }, (_, i) => loud[i] ?? 0), faceWidthPx: p.motion.faceWidthPx, limits: p.motion.limits, seed: p.seed });
    const changed = frames.map((f, i) => i === 0 || spriteOf(f) !== spriteOf(frames[i - 1]!));
    quantizePoses(raw, changed, p.motion.radiusPx, POSE_STEP_PX, POSE_STEP_PX, POSE_WAIT_FRAMES).forEach((pose, i) => (frames[i]!.pose = pose));
  }
  return frames;
}

/**
 * The head is re-posed when it has moved this far (px at the face radius): about every third frame during a
 * sway. Between re-poses, frames whose mouth changes redraw only the mouth box, which keeps both the warp and
 * the encoder cheap; 0.7 px steps are below what a viewer sees at 720 px wide.
 */
export const POSE_STEP_PX = 1.0;
/**
 * A re-pose waits up to this many frames (40 ms) for the mouth's next change, so it lands on a frame that is
 * encoded anyway. Measured on the 30 s bench script: 494 → 445 distinct frames (lips only: 419), 162 → 146
 * pose steps, median step 1.15 → 1.26 px (2 frames: 439 frames, median 1.32 px, p95 2.5 px).
 */
export const POSE_WAIT_FRAMES = 1;

/** A key that is equal for frames that look the same (sprite and pose). */
export function frameKey(f: PlannedFrame): string {
  const q = f.pose;
  return q === REST_POSE ? spriteOf(f) : `${spriteOf(f)}@${q.roll.toFixed(3)},${q.dx.toFixed(2)},${q.dy.toFixed(2)},${q.brow.toFixed(2)}`;
}

/** Sprite name of a frame: `m<level>`, `closed`, `rounded`, or `b<level>` while blinking (closed/rounded blink on level 0). */
export function spriteOf(f: Pick<PlannedFrame, 'mouth' | 'blink'>): string {
  if (f.blink) return `b${typeof f.mouth === 'number' ? f.mouth : 0}`;
  return typeof f.mouth === 'number' ? `m${f.mouth}` : f.mouth;
}

/** Consecutive identical frames merged into runs (what the VFR encode needs). */
export function planRuns(frames: PlannedFrame[]): { sprite: string; pose: HeadPose; key: string; frames: number }[] {
  const runs: { sprite: string; pose: HeadPose; key: string; frames: number }[] = [];
  for (const f of frames) {
    const key = frameKey(f);
    const last = runs[runs.length - 1];
    if (last && last.key === key) last.frames++;
    else runs.push({ sprite: spriteOf(f), pose: f.pose, key, frames: 1 });
  }
  return runs;
}
