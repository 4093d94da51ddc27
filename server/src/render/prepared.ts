/** A point in output-frame pixels. */
export interface Point {
  x: number;
  y: number;
}

/**
 * What avatar preparation produces for one output size: a 9:16 (or other) crop of the photo and a sprite
 * set of full frames that differ only around the mouth and eyes. Sprites are JPEG buffers of exactly
 * width x height. Cached in storage per avatar photo and format; re-made when the photo changes.
 */
export interface PreparedAvatar {
  width: number;
  height: number;
  /** 68 face landmarks mapped into the output frame. */
  landmarks: Point[];
  /** The box around the mouth (output pixels) that sprites change; the rest of the frame is identical. */
  mouthBox: { x: number; y: number; w: number; h: number };
  /** Mouth openings from closed-ish (index 0 = the photo's own mouth) to widest (≤ 0.30 × mouth width). */
  mouth: Buffer[];
  /** Lips pressed together (m/b/p). */
  closed: Buffer;
  /** Rounded lips (o/u/w). */
  rounded: Buffer;
  /** Eyes closed, one per entry of `mouth` (same index). */
  blink: Buffer[];
}

/** Reasons preparation refuses a photo; each maps to a 422 with a hint. */
export type PrepareFailure = 'no_face' | 'multiple_faces' | 'face_too_small' | 'face_not_frontal';
