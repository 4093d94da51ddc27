import { LOGO_LIMITS } from '@mvs/shared/schemas/settings';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../errors';

export interface NormalizedLogo {
  buffer: Buffer;
  mime: 'image/png' | 'image/jpeg';
  ext: 'png' | 'jpg';
  width: number;
  height: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Checks a logo by its content (PNG or JPEG, never the declared type), decodes it fully and re-encodes it
 * to fit 512 px (PNG keeps transparency), which also drops every metadata block.
 */
export async function normalizeLogo(input: Buffer | undefined): Promise<NormalizedLogo> {
  if (!input?.length) throw new AppError(422, 'missing_file', 'Send the logo as multipart/form-data in the field "logo"');
  if (input.length > LOGO_LIMITS.maxBytes) {
    throw new AppError(413, 'file_too_large', `The logo is ${mb(input.length)}; the limit is ${mb(LOGO_LIMITS.maxBytes)}`);
  }
  const type = await fileTypeFromBuffer(input);
  if (!type || !(LOGO_LIMITS.types as readonly string[]).includes(type.mime)) {
    throw new AppError(415, 'unsupported_file_type', `The file's content is ${type ? type.mime : 'not a recognised image'}; upload a PNG or JPEG logo`);
  }
  const png = type.mime === 'image/png';
  try {
    const pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: 40_000_000 }).rotate().resize({
      width: LOGO_LIMITS.maxSide,
      height: LOGO_LIMITS.maxSide,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const out = png ? await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true }) : await pipeline.jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true });
    return { buffer: out.data, mime: png ? 'image/png' : 'image/jpeg', ext: png ? 'png' : 'jpg', width: out.info.width, height: out.info.height };
  } catch {
    throw new AppError(422, 'unreadable_file', 'The logo is corrupt or truncated and cannot be decoded; export it again and retry');
  }
}
