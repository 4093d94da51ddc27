import fs from 'node:fs/promises';
import path from 'node:path';
import { concatList, encodePipedArgs, encodeRunsArgs, framePtsScript, LAST_FRAME_SEC, type FrameRun } from '../media/ffmpeg-args';
import { runFfmpegTapped } from '../media/ffmpeg.pipeline';
import { runFfmpeg } from '../media/ffmpeg.runner';
import { planRuns, type PlannedFrame } from './frame-plan';
import { maxDisplacement, planeOffsets, warpHead, type HeadRig } from './head-warp';
import type { HeadPose } from './motion';
import type { PreparedAvatar } from './prepared';
import { spriteFiles } from './sprite-files';

export interface ClipInput {
  ffmpeg: string;
  prepared: PreparedAvatar;
  frames: PlannedFrame[];
  fps: number;
  /** Length of the clip (the audio's length for a whole render; frames × 1/fps for a segment). */
  durationSec: number;
  rig: HeadRig | null;
  /** Speech to mux in; null encodes a video-only clip (segments). */
  audioPath: string | null;
  outPath: string;
  workDir: string;
  /** Sprite Y4M cache shared between renders of an avatar. */
  cacheDir: string;
  /** File name prefix inside workDir (segments write two clips into one folder). */
  name: string;
  /** Also write the first this-many seconds as a concat list of stills (the GIF's input); 0 = none. */
  gifSeconds: number;
  /**
   * Frame rate the GIF samples the list at (its `fps` filter): a posed clip writes only the frames shown at
   * those instants (a third as many files at 10 for 25). Default: every frame of the clip.
   */
  gifSampleFps?: number;
  /**
   * A second ffmpeg that reads the encode's video packets (NUT on its stdin, written by the encoder's tee muxer
   * next to the MP4) while the encode runs, e.g. the quality gate's decoder (gateTapArgs); its stdout is
   * returned as `tapOut`.
   */
  tapArgs?: string[];
  x264Params: string;
  /** Called as soon as the GIF's stills are written (early in the encode), so the GIF runs alongside it. */
  onGifList?: (listPath: string) => void;
  signal?: AbortSignal;
}

export interface ClipResult {
  /** ffconcat list (`<name>.ffconcat`) of at least the first `gifSeconds` (null when not asked). */
  gifListPath: string | null;
  /** Distinct frames the encoder receives (identical neighbours are dropped before x264). */
  distinctFrames: number;
  /** Of those, frames whose head is posed (warped for this render). */
  posedFrames: number;
  /** Posed frames that only redrew where their sprite differs from the previous posed frame's (same pose). */
  partialWarps: number;
  timings: { spritesMs: number; warpMs: number; encodeMs: number };
  /** The tap's stdout (null without tapArgs). */
  tapOut: Buffer | null;
}

/** Reads a sprite's Y4M file once per render: the raw 4:2:0 frame after `FRAME\n`. */
async function loadY4m(file: string, size: number): Promise<Uint8Array> {
  const buf = await fs.readFile(file);
  const at = buf.indexOf('FRAME\n');
  if (at < 0 || buf.length - at - 6 < size) throw new Error(`${file} is not a one-frame Y4M of the expected size`);
  return new Uint8Array(buf.buffer, buf.byteOffset + at + 6, size);
}

type Box = { x: number; y: number; w: number; h: number };

/**
 * The bounding box (luma pixels) of where two raw 4:2:0 frames differ inside an even-aligned box, or null
 * when they are identical there.
 */
export function diffBox(a: Uint8Array, b: Uint8Array, width: number, height: number, box: Box): Box | null {
  const o = planeOffsets(width, height);
  const ba = asBuffer(a);
  const bb = asBuffer(b);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const plane = (off: number, pw: number, s: number) => {
    const bx = box.x / s;
    const bw = box.w / s;
    for (let y = box.y / s; y < (box.y + box.h) / s; y++) {
      const r = off + y * pw + bx;
      if (ba.compare(bb, r, r + bw, r, r + bw) === 0) continue;
      let i = 0;
      while (a[r + i] === b[r + i]) i++;
      let j = bw - 1;
      while (a[r + j] === b[r + j]) j--;
      x0 = Math.min(x0, (bx + i) * s);
      x1 = Math.max(x1, (bx + j + 1) * s);
      y0 = Math.min(y0, y * s);
      y1 = Math.max(y1, (y + 1) * s);
    }
  };
  plane(o.y, width, 1);
  plane(o.u, width / 2, 2);
  plane(o.v, width / 2, 2);
  return x1 < x0 ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** A Buffer over the same bytes (for Buffer#compare on ranges without a view per range). */
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Copies the part of `outer` that is outside `inner` (even-aligned boxes, inner within outer) from a to b. */
export function copyAround(a: Uint8Array, b: Uint8Array, width: number, height: number, outer: Box, inner: Box): void {
  const o = planeOffsets(width, height);
  const plane = (off: number, pw: number, s: number) => {
    const [ox, ow, ix, iw] = [outer.x / s, outer.w / s, inner.x / s, inner.w / s];
    for (let y = outer.y / s; y < (outer.y + outer.h) / s; y++) {
      const r = off + y * pw;
      if (y < inner.y / s || y >= (inner.y + inner.h) / s) b.set(a.subarray(r + ox, r + ox + ow), r + ox);
      else {
        if (ix > ox) b.set(a.subarray(r + ox, r + ix), r + ox);
        if (ix + iw < ox + ow) b.set(a.subarray(r + ix + iw, r + ox + ow), r + ix + iw);
      }
    }
  };
  plane(o.y, width, 1);
  plane(o.u, width / 2, 2);
  plane(o.v, width / 2, 2);
}

/** True when two raw 4:2:0 frames are byte-identical outside an (even-aligned) box. */
export function sameOutside(a: Uint8Array, b: Uint8Array, width: number, height: number, box: { x: number; y: number; w: number; h: number }): boolean {
  const o = planeOffsets(width, height);
  const ba = asBuffer(a);
  const bb = asBuffer(b);
  const eq = (from: number, to: number) => to <= from || ba.compare(bb, from, to, from, to) === 0;
  const plane = (off: number, pw: number, ph: number, s: number) => {
    const bx = box.x / s;
    const by = box.y / s;
    const bw = box.w / s;
    const bh = box.h / s;
    if (!eq(off, off + by * pw) || !eq(off + (by + bh) * pw, off + ph * pw)) return false;
    for (let y = by; y < by + bh; y++) if (!eq(off + y * pw, off + y * pw + bx) || !eq(off + y * pw + bx + bw, off + (y + 1) * pw)) return false;
    return true;
  };
  return plane(o.y, width, height, 1) && plane(o.u, width / 2, height / 2, 2) && plane(o.v, width / 2, height / 2, 2);
}

export const y4mHeader = (w: number, h: number, fps: number) => Buffer.from(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`, 'latin1');
const FRAME = Buffer.from('FRAME\n', 'latin1');

/**
 * Draws posed frames (a sprite under a head pose) in place into one working frame, returned by `draw` and
 * valid until the next call. Each result equals a fresh warp of the sprite (`warpHead` on a copy of it), at a
 * fraction of the cost:
 * - the warp writes only inside the head box; the sprites also differ in the mouth box where it reaches below
 *   the head box (the jaw drop), so when the sprite changes, that part outside the head box is copied from the
 *   new sprite. Outside head and mouth boxes all sprites are identical (checked once; if not, every sprite
 *   change copies the whole frame and re-warps the whole head);
 * - a frame with the same pose as the previous one redraws only where its sprite differs from the previous
 *   sprite (the mouth, or the eyes of a blink), grown by the pose's largest displacement.
 */
export function posedFrames(prepared: PreparedAvatar, rig: HeadRig, raw: Map<string, Uint8Array>) {
  const { width: w, height: h } = prepared;
  const even = (v: number) => Math.max(0, Math.floor(v / 2) * 2);
  const mb = prepared.mouthBox;
  const rx0 = Math.min(rig.box.x, even(mb.x));
  const ry0 = Math.min(rig.box.y, even(mb.y));
  const region = {
    x: rx0,
    y: ry0,
    w: Math.min(w, Math.max(rig.box.x + rig.box.w, even(mb.x + mb.w + 1))) - rx0,
    h: Math.min(h, Math.max(rig.box.y + rig.box.h, even(mb.y + mb.h + 1))) - ry0,
  };
  const sprites = [...raw.values()];
  const commonOutside = sprites.every((s) => sameOutside(s, sprites[0]!, w, h, region));
  let work: Uint8Array | null = null;
  let workSprite = '';
  let prev: { sprite: string; pose: HeadPose } | null = null;
  const changed = new Map<string, Box | null>();
  const changedBox = (a: string, b: string) => {
    const key = `${a}|${b}`;
    if (!changed.has(key)) changed.set(key, diffBox(raw.get(a)!, raw.get(b)!, w, h, rig.box));
    return changed.get(key)!;
  };
  const stats = { posed: 0, partial: 0 };
  const draw = (sprite: string, pose: HeadPose): Uint8Array => {
    const src = raw.get(sprite)!;
    let whole = false;
    if (!work) {
      work = Uint8Array.from(src);
      whole = true;
    } else if (workSprite !== sprite) {
      if (commonOutside) copyAround(src, work, w, h, region, rig.box);
      else {
        work.set(src);
        whole = true;
      }
    }
    workSprite = sprite;
    if (!whole && prev && prev.pose === pose) {
      const d = changedBox(prev.sprite, sprite);
      if (d) {
        const pad = Math.ceil(maxDisplacement(rig, pose)) + 2;
        warpHead(rig, src, work, pose, { x: d.x - pad, y: d.y - pad, w: d.w + 2 * pad, h: d.h + 2 * pad });
      }
      stats.partial++;
    } else warpHead(rig, src, work, pose);
    prev = { sprite, pose };
    stats.posed++;
    return work;
  };
  return { draw, stats, commonOutside };
}

/**
 * Encodes a frame plan: frames whose head is at rest are the avatar's cached sprites as they are, posed
 * frames are warped from their sprite (posedFrames: the whole head box when the pose changes, only what
 * changed when just the mouth or the eyes do), and every frame is streamed to ffmpeg as Y4M while x264 encodes — warping and encoding
 * run at the same time. Each distinct frame is sent once, with its run's start as its timestamp (a filter
 * script, framePtsScript), so only changes cross the pipe and are encoded (the same MP4, byte for byte, as
 * sending every frame and dropping repeats with mpdecimate). The last frame is sent again at the clip's last
 * instant with an invisible one-pixel mark, so the clip keeps its exact length.
 */
export async function encodeClip(o: ClipInput): Promise<ClipResult> {
  const t0 = performance.now();
  const { width: w, height: h } = o.prepared;
  const size = planeOffsets(w, h).size;
  const runs = planRuns(o.frames);
  const files = await spriteFiles(o.prepared, [...new Set(runs.map((r) => r.sprite))], o.cacheDir);
  // A still head needs only the sprite files (ffmpeg reads them); posed frames are warped from their pixels.
  if (!o.rig || runs.every((r) => r.key === r.sprite)) return encodeStillHead(o, runs, files, performance.now() - t0);
  const raw = new Map<string, Uint8Array>();
  await Promise.all([...files].map(async ([name, file]) => raw.set(name, await loadY4m(file, size))));
  const t1 = performance.now();
  const rig = o.rig;
  let warpMs = 0;
  const drawer = posedFrames(o.prepared, rig, raw);
  const frameOf = (r: (typeof runs)[number]): Uint8Array => {
    if (r.key === r.sprite) return raw.get(r.sprite)!;
    const s = performance.now();
    const f = drawer.draw(r.sprite, r.pose);
    warpMs += performance.now() - s;
    return f;
  };
  const gifRuns: FrameRun[] = [];
  const gifWrites: Promise<void>[] = [];
  const header = y4mHeader(w, h, o.fps);
  const total = o.frames.length;
  // The GIF's frames: the one shown at each instant k / gifFps (k = 0 … gifSeconds·gifFps), as list entries
  // of 1/gifFps each; a run shown at none of them is not written at all.
  const gifFps = o.gifSampleFps ?? o.fps;
  const gifSamples = o.gifSeconds > 0 ? Math.floor(o.gifSeconds * gifFps + 1e-9) + 1 : 0;
  const gifShown = (from: number, frames: number) => {
    let n = 0;
    for (let k = Math.max(0, Math.ceil((from * gifFps) / o.fps - 1e-9)); k < gifSamples; k++) {
      const f = Math.floor((k * o.fps) / gifFps + 1e-9);
      if (f >= from + frames) break;
      if (f >= from) n++;
    }
    return n;
  };
  let gifDone = o.gifSeconds <= 0;
  let gifListPath: string | null = null;
  const gifReady = async () => {
    gifDone = true;
    if (!gifRuns.length) return;
    await Promise.all(gifWrites);
    // Same name as a lips-only clip's full list: `<name>.ffconcat` always starts with the clip's first seconds.
    gifListPath = path.join(o.workDir, `${o.name}.ffconcat`);
    await fs.writeFile(gifListPath, concatList(gifRuns));
    o.onGifList?.(gifListPath);
  };
  // Each distinct frame is sent once, at the start of its run (framePtsScript gives ffmpeg the timestamps);
  // the final frame is sent again at the clip's last instant, so the clip keeps its exact length.
  const last = runs[runs.length - 1]!;
  const lastAgain = total > 1 && last.frames > 1;
  const pts: number[] = [];
  for (let i = 0, at = 0; i < runs.length; at += runs[i]!.frames, i++) pts.push(at);
  if (lastAgain) pts.push(total - 1);
  const ptsScriptPath = path.join(o.workDir, `${o.name}.pts`);
  await fs.writeFile(ptsScriptPath, framePtsScript(pts));
  // The final frame carries a one-pixel mark (±3 levels in the bottom-right corner), as the clip's end.
  const marked = (frame: Uint8Array) => {
    const f = Uint8Array.from(frame);
    const i = w * h - 1;
    f[i] = f[i]! > 250 ? f[i]! - 3 : f[i]! + 3;
    return f;
  };
  const produce = async (write: (c: Uint8Array) => Promise<void>) => {
    await write(header);
    let at = 0;
    for (const r of runs) {
      o.signal?.throwIfAborted();
      const frame = frameOf(r);
      const shown = gifShown(at, r.frames);
      if (shown > 0) {
        const file = path.join(o.workDir, `${o.name}-gif${gifRuns.length}.y4m`);
        gifWrites.push(fs.writeFile(file, Buffer.concat([header, FRAME, frame])));
        gifRuns.push({ file, durationSec: shown / gifFps });
      }
      if (!gifDone && (at + r.frames) / o.fps >= o.gifSeconds) await gifReady();
      await write(FRAME);
      await write(at === total - 1 && total > 1 ? marked(frame) : frame);
      if (r === last && lastAgain) {
        await write(FRAME);
        await write(marked(frame));
      }
      at += r.frames;
    }
    if (!gifDone) await gifReady();
  };
  const te = performance.now();
  const { tapStdout } = await runFfmpegTapped(
    o.ffmpeg,
    encodePipedArgs({ audioPath: o.audioPath, durationSec: o.durationSec, outPath: o.outPath, width: w, height: h, fps: o.fps, x264Params: o.x264Params, tapVideo: !!o.tapArgs, ptsScriptPath }),
    o.tapArgs ?? null,
    produce,
    { signal: o.signal, timeoutMs: 600_000 },
  );
  const encodeMs = performance.now() - te;
  return {
    gifListPath,
    distinctFrames: runs.length,
    posedFrames: drawer.stats.posed,
    partialWarps: drawer.stats.partial,
    timings: { spritesMs: t1 - t0, warpMs, encodeMs },
    tapOut: o.tapArgs ? tapStdout : null,
  };
}

/**
 * A clip whose head never moves (lips only): the cached sprite files themselves, as runs with durations in
 * an ffconcat list (the cheapest encode: no frame is copied or piped; the GIF reads the same list).
 */
async function encodeStillHead(o: ClipInput, runs: ReturnType<typeof planRuns>, files: Map<string, string>, spritesMs: number): Promise<ClipResult> {
  const listRuns: FrameRun[] = [];
  // The list ends one frame early: ffmpeg gives the repeated final frame 1/fps, so video = clip length.
  let remaining = o.durationSec - LAST_FRAME_SEC;
  for (const r of runs) {
    const d = Math.min(r.frames / o.fps, remaining);
    if (d <= 1e-6) break;
    listRuns.push({ file: files.get(r.sprite)!, durationSec: d });
    remaining -= d;
  }
  const listPath = path.join(o.workDir, `${o.name}.ffconcat`);
  await fs.writeFile(listPath, concatList(listRuns));
  if (o.gifSeconds > 0) o.onGifList?.(listPath);
  const te = performance.now();
  const args = encodeRunsArgs({ listPath, audioPath: o.audioPath, durationSec: o.durationSec, outPath: o.outPath, x264Params: o.x264Params, tapVideo: !!o.tapArgs });
  let tapOut: Buffer | null = null;
  if (o.tapArgs) tapOut = (await runFfmpegTapped(o.ffmpeg, args, o.tapArgs, null, { signal: o.signal, timeoutMs: 600_000 })).tapStdout;
  else await runFfmpeg(o.ffmpeg, args, { signal: o.signal, timeoutMs: 600_000 });
  return {
    gifListPath: o.gifSeconds > 0 ? listPath : null,
    distinctFrames: listRuns.length,
    posedFrames: 0,
    partialWarps: 0,
    timings: { spritesMs, warpMs: 0, encodeMs: performance.now() - te },
    tapOut,
  };
}
