import type { SpeechMark } from '../media/tts';
import { visemeOf } from './visemes';

/** The mouth in one frame: an opening level (index into PreparedAvatar.mouth), lips pressed, or rounded. */
export type Mouth = number | 'closed' | 'rounded';
export interface PlannedFrame {
  mouth: Mouth;
  blink: boolean;
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
  const voiced = voicedAll.filter((d) => d > gate);
  const lo = quantile(voiced, 0.05) - 3;
  const hi = Math.max(lo + 6, quantile(voiced, 0.95));
  return Float32Array.from(db, (d) => (d <= gate ? 0 : Math.min(1, Math.max(0.05, (d - lo) / (hi - lo)))));
}

function phonemeAt(marks: SpeechMark[], fromIndex: number, tMs: number): { index: number; mark: SpeechMark | null } {
  let i = fromIndex;
  while (i < marks.length && marks[i]!.endMs <= tMs) i++;
  const m = marks[i];
  return { index: i, mark: m && m.startMs <= tMs ? m : null };
}

/** The desired mouth per frame before smoothing. */
function desiredMouths(p: PlanInput, loud: Float32Array): Mouth[] {
  const top = p.levels - 1;
  const level = (x: number) => Math.max(0, Math.min(top, Math.round(x * top)));
  const phonemes = (p.marks ?? []).filter((m) => m.kind === 'phoneme').sort((a, b) => a.startMs - b.startMs);
  const out: Mouth[] = [];
  let cursor = 0;
  for (let f = 0; f < p.frameCount; f++) {
    const l = loud[f] ?? 0;
    if (!phonemes.length) {
      out.push(l > 0 ? Math.max(1, level(l)) : 0);
      continue;
    }
    const tMs = ((f + 0.5) * 1000) / p.fps;
    const found = phonemeAt(phonemes, cursor, tMs);
    cursor = found.index;
    if (!found.mark) {
      out.push(l > 0.25 ? Math.max(1, level(l * 0.6)) : 0);
      continue;
    }
    const v = visemeOf(found.mark.value);
    if (v.viseme === 'closed') out.push('closed');
    else if (l === 0) out.push(0);
    else if (v.viseme === 'rounded') out.push('rounded');
    else out.push(Math.max(1, level(v.openness * (0.35 + 0.65 * l))));
  }
  return out;
}

/**
 * Smooths the desired shapes: every shape holds ≥ MIN_HOLD frames (closures are stretched to it), and an
 * opening change of one level must persist two frames before the mouth follows. It works backwards in time,
 * so a shape that must be held longer starts a frame early instead of pushing the next one a frame late: the
 * lips anticipate the sound, as real ones do. Smoothing forwards made the mouth trail espeak's own phoneme
 * timings by about a frame (r with the loudness 0.48 instead of 0.68 on the renderer's test speech).
 */
export function smoothMouths(desired: Mouth[]): Mouth[] {
  return holdShapes([...desired].reverse()).reverse();
}

/** The smoothing pass in one direction: a new shape waits until the current one has been held long enough. */
function holdShapes(desired: Mouth[]): Mouth[] {
  const d = [...desired];
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 'closed' && d[i - 1] !== 'closed' && d[i + 1] !== 'closed' && i + 1 < d.length) d[i + 1] = 'closed';
  }
  const out: Mouth[] = [];
  let cur = d[0] ?? 0;
  let held = 0;
  for (let i = 0; i < d.length; i++) {
    const want = d[i]!;
    if (want !== cur) {
      const small = typeof want === 'number' && typeof cur === 'number' && Math.abs(want - cur) === 1;
      const next = d[i + 1];
      const persists = next !== undefined && next !== cur && (typeof next !== 'number' || typeof cur !== 'number' || Math.sign(next - cur) === Math.sign((want as number) - cur));
      const mayChange = want === 'closed' || held >= MIN_HOLD;
      if (mayChange && (!small || persists)) {
        cur = want;
        held = 0;
      }
    }
    out.push(cur);
    held++;
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
  const mouths = smoothMouths(desiredMouths(p, normaliseLoudness(p.loudnessDb)));
  const blink = new Uint8Array(p.frameCount);
  for (const s of blinkStarts(p.frameCount, p.fps, p.seed)) blink.fill(1, s, s + BLINK_FRAMES);
  return mouths.map((mouth, i) => ({ mouth, blink: blink[i] === 1 }));
}

/** Sprite name of a frame: `m<level>`, `closed`, `rounded`, or `b<level>` while blinking (closed/rounded blink on level 0). */
export function spriteOf(f: PlannedFrame): string {
  if (f.blink) return `b${typeof f.mouth === 'number' ? f.mouth : 0}`;
  return typeof f.mouth === 'number' ? `m${f.mouth}` : f.mouth;
}

/** Consecutive identical frames merged into runs (what the VFR encode needs). */
export function planRuns(frames: PlannedFrame[]): { sprite: string; frames: number }[] {
  const runs: { sprite: string; frames: number }[] = [];
  for (const f of frames) {
    const s = spriteOf(f);
    const last = runs[runs.length - 1];
    if (last && last.sprite === s) last.frames++;
    else runs.push({ sprite: s, frames: 1 });
  }
  return runs;
}
