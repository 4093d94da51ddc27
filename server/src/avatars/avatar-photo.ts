import { AVATAR_LIMITS } from '@mvs/shared/schemas/avatars';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../errors';

/** A photo ready to store: upright, re-encoded, with no EXIF/GPS/XMP left. */
export interface NormalizedPhoto {
  buffer: Buffer;
  mime: 'image/jpeg' | 'image/png';
  ext: 'jpg' | 'png';
  width: number;
  height: number;
}

/** Longest side we keep; larger photos only cost storage and prepare time. */
const MAX_SIDE = 2048;
/** Decoded-size cap, checked from the header before decoding: a small file can declare a huge canvas. */
export const MAX_PHOTO_PIXELS = 60_000_000;
const PHOTO_MIMES: readonly string[] = AVATAR_LIMITS.photoTypes;

/**
 * Checks an uploaded photo by its content (never the declared type), decodes it fully, applies the EXIF
 * orientation and re-encodes it (JPEG q92, or PNG for PNG/transparent input), which drops all metadata.
 */
export async function normalizePhoto(input: Buffer, label: string): Promise<NormalizedPhoto> {
  if (input.length > AVATAR_LIMITS.maxPhotoBytes) {
    throw new AppError(413, 'file_too_large', `${label}: the photo is ${mb(input.length)}; the limit is ${mb(AVATAR_LIMITS.maxPhotoBytes)}`);
  }
  const type = await fileTypeFromBuffer(input);
  if (!type || !PHOTO_MIMES.includes(type.mime)) {
    throw new AppError(
      415,
      'unsupported_file_type',
      `${label}: the file's content is ${type ? type.mime : 'not a recognised image'}; upload a JPEG, PNG or WebP photo`,
    );
  }
  const meta = await sharp(input, { limitInputPixels: false }).metadata().catch(() => null);
  if (!meta?.autoOrient.width || !meta.autoOrient.height) throw unreadable(label);
  const { width, height } = meta.autoOrient;
  if (width * height > MAX_PHOTO_PIXELS) {
    throw new AppError(413, 'file_too_large', `${label}: the photo is ${width}x${height} px; the limit is ${MAX_PHOTO_PIXELS / 1e6} megapixels`);
  }
  if (Math.min(width, height) < AVATAR_LIMITS.minPhotoShortSide) {
    throw new AppError(
      422,
      'image_too_small',
      `${label}: the photo is ${width}x${height} px; its short side must be at least ${AVATAR_LIMITS.minPhotoShortSide} px`,
      { width, height, min_short_side: AVATAR_LIMITS.minPhotoShortSide },
    );
  }
  const asPng = type.mime === 'image/png' || meta.hasAlpha === true;
  // failOn 'truncated' decodes every pixel and aborts on cut-off or corrupt data instead of storing grey.
  const pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: MAX_PHOTO_PIXELS })
    .rotate()
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
  try {
    const out = asPng
      ? await pipeline.png({ compressionLevel: 8 }).toBuffer({ resolveWithObject: true })
      : await pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer({ resolveWithObject: true });
    return {
      buffer: out.data,
      mime: asPng ? 'image/png' : 'image/jpeg',
      ext: asPng ? 'png' : 'jpg',
      width: out.info.width,
      height: out.info.height,
    };
  } catch {
    throw unreadable(label);
  }
}

const unreadable = (label: string) =>
  new AppError(422, 'unreadable_file', `${label}: the image is corrupt or truncated and cannot be decoded; export it again and retry`);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
