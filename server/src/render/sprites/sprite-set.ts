import type { Point } from '../prepared';
import { buildMesh, type Mesh } from './mesh';
import { paintLashes, paintMouth } from './paint';
import { closeEyes, closeMouth, innerGap, mouthWidth, openMouth, openingLevels, roundMouth } from './shapes';
import { alignBox, emptyBox, unionBox, warpMesh, type Box, type RgbaFrame } from './warp';

/** Default number of mouth sprites: level 0 (the photo's own mouth) plus eight openings (fine steps, so the jaw follows the voice smoothly). */
export const MOUTH_LEVELS = 9;
/** Sprites differ only inside boxes aligned to this grid, so JPEG blocks outside stay identical. */
export const BLOCK = 8;
/** A photo shows teeth when its inner-lip gap is larger than this share of the mouth width. */
const TEETH_GAP = 0.08;

/** Raw (RGBA) sprite frames before encoding. */
export interface SpriteFrames {
  width: number;
  height: number;
  landmarks: Point[];
  mouthBox: Box;
  eyesBox: Box;
  /** Jaw drop in pixels per mouth level. */
  openings: number[];
  mouth: RgbaFrame[];
  closed: RgbaFrame;
  rounded: RgbaFrame;
  blink: RgbaFrame[];
}

const copyFrame = (f: RgbaFrame): RgbaFrame => ({ width: f.width, height: f.height, data: new Uint8ClampedArray(f.data) });

function shape(base: RgbaFrame, mesh: Mesh, landmarks: Point[], moved: Point[], teeth: boolean): { frame: RgbaFrame; box: Box } {
  const frame = copyFrame(base);
  const all = [...moved, ...mesh.points.slice(landmarks.length)];
  let box = warpMesh(base, frame, mesh, all);
  box = unionBox(box, paintMouth(frame, base, landmarks, moved, teeth));
  return { frame, box };
}

/**
 * Builds every sprite from the cropped frame and its landmarks: mouth levels, closed and rounded lips, and
 * eyes-closed versions of each level. Mouth sprites differ from the base only inside `mouthBox`; a blink
 * sprite differs from its mouth sprite only inside `eyesBox`.
 */
export function buildSpriteFrames(base: RgbaFrame, landmarks: Point[], levels = MOUTH_LEVELS): SpriteFrames {
  const mesh = buildMesh(landmarks, base.width, base.height);
  const teeth = innerGap(landmarks) > TEETH_GAP * mouthWidth(landmarks);
  const openings = openingLevels(landmarks, levels);
  let mouthBox = emptyBox();
  const mouth = openings.map((d) => {
    if (d === 0) return copyFrame(base);
    const s = shape(base, mesh, landmarks, openMouth(landmarks, d), teeth);
    mouthBox = unionBox(mouthBox, s.box);
    return s.frame;
  });
  const closed = shape(base, mesh, landmarks, closeMouth(landmarks), teeth);
  const rounded = shape(base, mesh, landmarks, roundMouth(landmarks), teeth);
  mouthBox = alignBox(unionBox(mouthBox, unionBox(closed.box, rounded.box)), BLOCK, base.width, base.height);

  const eyesMoved = [...closeEyes(landmarks), ...mesh.points.slice(landmarks.length)];
  let eyesBox = emptyBox();
  const blink = mouth.map((m) => {
    const frame = copyFrame(m);
    eyesBox = unionBox(eyesBox, warpMesh(m, frame, mesh, eyesMoved));
    eyesBox = unionBox(eyesBox, paintLashes(frame, eyesMoved));
    return frame;
  });
  eyesBox = alignBox(eyesBox, BLOCK, base.width, base.height);
  return { width: base.width, height: base.height, landmarks, mouthBox, eyesBox, openings, mouth, closed: closed.frame, rounded: rounded.frame, blink };
}
