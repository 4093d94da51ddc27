import type { Point } from '../prepared';

/** A rectangle of the (EXIF-rotated) source photo, in integer pixels. */
export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Crop width (short side) as a multiple of the face width; the face centre sits this high in the frame. */
export const CROP_FACE_MULTIPLE = 3.2;
export const FACE_CENTRE_HEIGHT = { portrait: 0.38, other: 0.45 } as const;

/**
 * The crop of the source that frames the face for an output of `out` size: the short side is 3.2 face
 * widths (shrunk to fit the photo), face centred horizontally and at 38 % of the height in portrait.
 * Pure; aspect ratio matches `out` within a pixel.
 */
export function cropFor(src: { width: number; height: number }, faceCentre: Point, faceWidthPx: number, out: { width: number; height: number }): CropBox {
  const aspect = out.width / out.height;
  const short = CROP_FACE_MULTIPLE * faceWidthPx;
  const cw0 = aspect <= 1 ? short : short * aspect;
  const ch0 = cw0 / aspect;
  const fit = Math.min(1, src.width / cw0, src.height / ch0);
  const width = Math.max(1, Math.min(src.width, Math.round(cw0 * fit)));
  const height = Math.max(1, Math.min(src.height, Math.round(ch0 * fit)));
  const centreAt = aspect < 1 ? FACE_CENTRE_HEIGHT.portrait : FACE_CENTRE_HEIGHT.other;
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v)));
  return {
    left: clamp(faceCentre.x - width / 2, src.width - width),
    top: clamp(faceCentre.y - centreAt * height, src.height - height),
    width,
    height,
  };
}

/** Maps source points into the output frame of a crop resized to `out`. Pure. */
export function mapToFrame(points: Point[], crop: CropBox, out: { width: number; height: number }): Point[] {
  const sx = out.width / crop.width;
  const sy = out.height / crop.height;
  return points.map((p) => ({ x: (p.x - crop.left) * sx, y: (p.y - crop.top) * sy }));
}
