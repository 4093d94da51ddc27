import fs from 'node:fs/promises';
import { gateFramesArgs } from '../media/ffmpeg-args';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { frameLoudnessDb, parseWav } from '../media/wav';
import type { PlannedFrame } from './frame-plan';
import { buildHeadRig, landmarkShift, warpHead, type HeadRig } from './head-warp';
import { isRest, type HeadPose } from './motion';
import type { PreparedAvatar } from './prepared';
import { decodeRgb } from './sprites/sprite-codec';

/**
 * Checks a rendered talking-photo MP4 before it may be marked completed (issue 12 §5): the face stays inside
 * the crop, no frame is blank or torn (the background outside the head never changes), and the mouth really
 * moves with the speech (mouth motion vs loudness, measured on the decoded output). The video/audio length
 * check stays in the render job (render-check.ts).
 */
export interface GateReport {
  ok: boolean;
  problems: string[];
  /** Pearson r of mouth motion (decoded, head pose compensated) with the speech loudness per frame. */
  r: number;
  /** Spread of the mouth motion over voiced frames (gray levels at quarter size, p95 − p5). */
  mouthRange: number;
  voicedSec: number;
  blankFrames: number;
  /** Largest mean change of the background (outside the head and mouth boxes) from one frame to the next, gray levels. */
  backgroundDiff: number;
  /** Smallest distance of any landmark to the frame edge over the whole plan, pixels. */
  faceMarginPx: number;
  ms: number;
}

/** Thresholds. A frozen mouth has r ≈ 0 and a range ≈ 0; a real render measures r ≈ 0.75–0.9 (see the bench). */
export const GATE = {
  minR: 0.4,
  minMouthRange: 1.0,
  /** Below this, there is too little speech to judge the mouth (a "Hi." video). */
  minVoicedSec: 1.0,
  blankStdev: 3,
  /**
   * x264 re-codes the static background at each keyframe (every 250 frames) and a few blocks next to moving
   * ones: about 1 gray level of mean change at that frame. A torn, shifted or blank frame changes far more.
   */
  maxBackgroundDiff: 2,
  /** The face (landmarks under the largest pose) keeps this far from the frame edge. */
  minFaceMarginPx: 4,
} as const;

const SCALE = 4;

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/** Linear RMS loudness per video frame of a WAV (0 for digital silence). */
export async function frameRms(wavPath: string, fps: number): Promise<number[]> {
  return Array.from(frameLoudnessDb(parseWav(await fs.readFile(wavPath)), fps), (d) => (d <= -100 ? 0 : 10 ** (d / 20)));
}

/** Decoded gray frames at 1/4 size, as the gate analyses them. */
export interface GateFrames {
  w: number;
  h: number;
  frames: Uint8Array[];
}

/** Size of the gate's decoded frames for a video of width x height. */
export function gateFrameSize(width: number, height: number) {
  return { w: Math.round(width / SCALE), h: Math.round(height / SCALE) };
}

/** Splits the gate decoder's raw output into frames. */
export function gateFramesOf(raw: Buffer, width: number, height: number): GateFrames {
  const { w, h } = gateFrameSize(width, height);
  const frames: Uint8Array[] = [];
  for (let o = 0; o + w * h <= raw.length; o += w * h) frames.push(raw.subarray(o, o + w * h));
  return { w, h, frames };
}

/**
 * The gate's decoder reading an encode's tap (the encoder's tee muxer writes the same video packets as NUT to
 * stdout while it writes the MP4; see mp4Output): the frames the MP4 holds, decoded during the encode.
 */
export function gateTapArgs(width: number, height: number, fps: number): string[] {
  const { w, h } = gateFrameSize(width, height);
  return gateFramesArgs('pipe:0', w, h, fps, 'nut');
}

/** The decoded video as gray frames at 1/4 size. */
export async function decodeQuarterGray(ffmpeg: string, video: string, width: number, height: number, fps: number, signal?: AbortSignal): Promise<GateFrames> {
  const { w, h } = gateFrameSize(width, height);
  // A fast scaler (a fifth less CPU). Not `-skip_loop_filter`: without deblocking the decoder drifts away from
  // what x264 predicted from, and the static background seems to change by ~1 gray level.
  const { stdout } = await runFfmpeg(ffmpeg, gateFramesArgs(video, w, h, fps), { timeoutMs: 120_000, signal });
  return gateFramesOf(stdout, width, height);
}

/** Area-average downscale of a luma plane by SCALE. */
function downscale(y: Uint8Array, width: number, height: number): Uint8Array {
  const w = Math.round(width / SCALE);
  const h = Math.round(height / SCALE);
  const out = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let dy = 0; dy < SCALE; dy++) for (let dx = 0; dx < SCALE; dx++) s += y[(j * SCALE + dy) * width + i * SCALE + dx] ?? 0;
      out[j * w + i] = Math.round(s / (SCALE * SCALE));
    }
  }
  return out;
}

/** BT.601 luma of an RGB sprite, as the encoder sees it. */
async function lumaOf(jpeg: Buffer): Promise<{ y: Uint8Array; width: number; height: number }> {
  const { data, width, height } = await decodeRgb(jpeg);
  const y = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < y.length; i++, p += 3) y[i] = (16 + (65.738 * data[p]! + 129.057 * data[p + 1]! + 25.064 * data[p + 2]!) / 256 + 0.5) | 0;
  return { y, width, height };
}

function regionDiff(a: Uint8Array, b: Uint8Array, width: number, r: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) sum += Math.abs(a[y * width + x]! - b[y * width + x]!);
  return r.w * r.h ? sum / (r.w * r.h) : 0;
}

/** Mean |a − b| outside a box (clipped to the frame). */
function outsideDiff(a: Uint8Array, b: Uint8Array, width: number, height: number, box: { x: number; y: number; w: number; h: number }): number {
  const bx0 = Math.max(0, Math.min(width, box.x));
  const bx1 = Math.max(bx0, Math.min(width, box.x + box.w));
  const by0 = Math.max(0, Math.min(height, box.y));
  const by1 = Math.max(by0, Math.min(height, box.y + box.h));
  let sum = 0;
  const span = (from: number, to: number) => {
    for (let i = from; i < to; i++) sum += Math.abs(a[i]! - b[i]!);
  };
  span(0, by0 * width);
  for (let y = by0; y < by1; y++) {
    span(y * width, y * width + bx0);
    span(y * width + bx1, (y + 1) * width);
  }
  span(by1 * width, height * width);
  const n = width * height - (bx1 - bx0) * (by1 - by0);
  return n ? sum / n : 0;
}

/**
 * Per-frame mouth motion of a decoded video: how far its mouth box differs from the resting face in the
 * same head pose (the rest sprite warped by the frame's planned pose, at quarter size), so head motion does
 * not count as mouth motion.
 */
export async function mouthMotion(
  decoded: { w: number; h: number; frames: Uint8Array[] },
  prepared: PreparedAvatar,
  plan: PlannedFrame[],
): Promise<number[]> {
  const rest = await lumaOf(prepared.mouth[0]!);
  const small = downscale(rest.y, rest.width, rest.height);
  const { w, h } = decoded;
  // A luma-only rig at quarter size: the U/V planes of the scratch frames are unused padding.
  const rig: HeadRig | null = prepared.landmarks.length === 68 ? buildHeadRig(prepared.landmarks.map((p) => ({ x: p.x / SCALE, y: p.y / SCALE })), w, h) : null;
  const frameSize = w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2);
  const srcFrame = new Uint8Array(frameSize);
  srcFrame.set(small);
  const refs = new Map<HeadPose, Uint8Array>();
  const ref = (pose: HeadPose) => {
    if (!rig || isRest(pose)) return small;
    let r = refs.get(pose);
    if (!r) {
      const dst = srcFrame.slice();
      warpHead(rig, srcFrame, dst, { roll: pose.roll, dx: pose.dx / SCALE, dy: pose.dy / SCALE, brow: pose.brow / SCALE });
      r = dst.subarray(0, w * h);
      refs.set(pose, r);
    }
    return r;
  };
  const mb = prepared.mouthBox;
  const box = { x: Math.floor(mb.x / SCALE), y: Math.floor(mb.y / SCALE), w: Math.ceil(mb.w / SCALE), h: Math.ceil(mb.h / SCALE) };
  return decoded.frames.map((f, i) => regionDiff(f, ref(plan[Math.min(i, plan.length - 1)]!.pose), w, box));
}

/** Runs every check on a rendered MP4 against the plan it was made from. */
export async function checkTalkingVideo(o: {
  ffmpeg: string;
  videoPath: string;
  wavPath: string;
  prepared: PreparedAvatar;
  plan: PlannedFrame[];
  rig: HeadRig | null;
  fps: number;
  signal?: AbortSignal;
  /**
   * The video's frames already decoded (gateTapArgs: by a decoder reading the encode's tap while it ran);
   * without them, the MP4 at videoPath is decoded here.
   */
  decoded?: GateFrames;
}): Promise<GateReport> {
  const t0 = performance.now();
  const p = o.prepared;
  const problems: string[] = [];
  // Face inside the crop: every landmark under every planned pose keeps a margin to the frame edge.
  let margin = Infinity;
  if (p.landmarks.length === 68) {
    const poses = new Set(o.plan.map((f) => f.pose));
    for (const pose of poses) {
      const moved = o.rig ? landmarkShift(o.rig, p.landmarks, pose).moved : p.landmarks;
      for (const q of moved) margin = Math.min(margin, q.x, q.y, p.width - q.x, p.height - q.y);
    }
    if (margin < GATE.minFaceMarginPx) problems.push(`the face reaches the edge of the frame (margin ${margin.toFixed(1)} px)`);
  }
  const [decoded, rms] = await Promise.all([o.decoded ?? decodeQuarterGray(o.ffmpeg, o.videoPath, p.width, p.height, o.fps, o.signal), frameRms(o.wavPath, o.fps)]);
  const { w, h, frames } = decoded;
  if (!frames.length) problems.push('the video has no decodable frame');
  // A frame identical to the one before (the constant-rate decode repeats held frames) repeats its verdicts.
  const same = frames.map((f, i) => i > 0 && Buffer.compare(f, frames[i - 1]!) === 0);
  // Blank frames.
  let blank = 0;
  let wasBlank = false;
  for (const [i, f] of frames.entries()) {
    if (same[i]) {
      if (wasBlank) blank++;
      continue;
    }
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < f.length; i += 7) {
      s += f[i]!;
      s2 += f[i]! * f[i]!;
    }
    const n = Math.ceil(f.length / 7);
    wasBlank = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) < GATE.blankStdev;
    if (wasBlank) blank++;
  }
  if (blank) problems.push(`${blank} blank frame(s)`);
  // Torn or shifted frames: the background outside the head (and outside the mouth box) never changes.
  const head = o.rig?.box ?? p.mouthBox;
  const mouth = p.mouthBox;
  const x0 = Math.min(head.x, mouth.x);
  const y0 = Math.min(head.y, mouth.y);
  const keep = {
    x: Math.floor(x0 / SCALE) - 1,
    y: Math.floor(y0 / SCALE) - 1,
    w: Math.ceil((Math.max(head.x + head.w, mouth.x + mouth.w) - x0) / SCALE) + 2,
    h: Math.ceil((Math.max(head.y + head.h, mouth.y + mouth.h) - y0) / SCALE) + 2,
  };
  // Blink boxes sit inside the head box; without a rig (synthetic test faces) the eyes are outside the mouth box.
  let bg = 0;
  if (o.rig) for (let i = 1; i < frames.length; i++) if (!same[i]) bg = Math.max(bg, outsideDiff(frames[i]!, frames[i - 1]!, w, h, keep));
  if (bg > GATE.maxBackgroundDiff) problems.push(`the background changes between frames (mean ${bg.toFixed(2)} gray levels): a torn or shifted frame`);
  // The mouth moves with the speech.
  const motion = frames.length ? await mouthMotion(decoded, p, o.plan) : [];
  const n = Math.min(motion.length, rms.length);
  const voiced = rms.slice(0, n).map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
  const voicedSec = voiced.length / o.fps;
  const r = pearson(motion.slice(0, n), rms.slice(0, n));
  const vm = voiced.map((i) => motion[i]!).sort((a, b) => a - b);
  const mouthRange = vm.length ? vm[Math.floor(0.95 * (vm.length - 1))]! - vm[Math.floor(0.05 * (vm.length - 1))]! : 0;
  if (voicedSec >= GATE.minVoicedSec) {
    if (mouthRange < GATE.minMouthRange) problems.push(`the mouth does not move while there is speech (range ${mouthRange.toFixed(2)})`);
    else if (r < GATE.minR) problems.push(`the mouth does not follow the speech (r = ${r.toFixed(2)} < ${GATE.minR})`);
  }
  return { ok: problems.length === 0, problems, r, mouthRange, voicedSec, blankFrames: blank, backgroundDiff: bg, faceMarginPx: margin, ms: performance.now() - t0 };
}
