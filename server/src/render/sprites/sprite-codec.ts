import sharp from 'sharp';
import type { PreparedAvatar } from '../prepared';
import type { CropBox } from './crop';
import type { SpriteFrames } from './sprite-set';
import type { RgbaFrame } from './warp';

export const SPRITE_JPEG_QUALITY = 90;

/** Cuts the crop out of the (EXIF-rotated) photo and resizes it with lanczos3 to exactly out.width x out.height. */
export async function cropFrame(photo: Buffer, crop: CropBox, out: { width: number; height: number }): Promise<RgbaFrame> {
  const { data, info } = await sharp(photo)
    .autoOrient()
    .extract(crop)
    .resize(out.width, out.height, { kernel: 'lanczos3', fit: 'fill' })
    .removeAlpha()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== out.width || info.height !== out.height || info.channels !== 4) {
    throw new Error(`crop produced ${info.width}x${info.height}x${info.channels}, wanted ${out.width}x${out.height}x4`);
  }
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

/** JPEG with 4:4:4 chroma, so 8x8 blocks outside a changed box decode to identical pixels. */
export function encodeJpeg(frame: RgbaFrame, quality = SPRITE_JPEG_QUALITY): Promise<Buffer> {
  return sharp(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.length), {
    raw: { width: frame.width, height: frame.height, channels: 4 },
  })
    .removeAlpha()
    .jpeg({ quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

/** Decodes a sprite JPEG back to RGB (tests, previews). */
export async function decodeRgb(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Encodes every sprite frame into the PreparedAvatar shape. */
export async function encodeSprites(f: SpriteFrames): Promise<PreparedAvatar> {
  const [mouth, blink, [closed, rounded]] = await Promise.all([
    Promise.all(f.mouth.map((m) => encodeJpeg(m))),
    Promise.all(f.blink.map((m) => encodeJpeg(m))),
    Promise.all([encodeJpeg(f.closed), encodeJpeg(f.rounded)]),
  ]);
  return { width: f.width, height: f.height, landmarks: f.landmarks, mouthBox: f.mouthBox, mouth, closed: closed!, rounded: rounded!, blink };
}
