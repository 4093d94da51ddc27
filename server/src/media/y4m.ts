import sharp from 'sharp';

/**
 * Packs RGB24 pixels as a one-frame YUV4MPEG2 file (4:2:0, BT.601 limited range). ffmpeg reads it with a
 * memcpy instead of decoding a JPEG per frame, which is most of the cost of a concat-demuxer encode.
 */
export function rgbToY4m(rgb: Buffer, width: number, height: number): Buffer {
  if (width % 2 || height % 2) throw new Error(`Y4M 4:2:0 needs even dimensions, got ${width}x${height}`);
  if (rgb.length < width * height * 3) throw new Error('RGB buffer is smaller than width x height x 3');
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F25:1 Ip A1:1 C420jpeg\nFRAME\n`, 'latin1');
  const ySize = width * height;
  const cSize = ySize / 4;
  const out = Buffer.alloc(header.length + ySize + 2 * cSize);
  header.copy(out, 0);
  const yo = header.length;
  const uo = yo + ySize;
  const vo = uo + cSize;
  for (let i = 0, p = 0; i < ySize; i++, p += 3) {
    out[yo + i] = (16 + (65.738 * rgb[p]! + 129.057 * rgb[p + 1]! + 25.064 * rgb[p + 2]!) / 256 + 0.5) | 0;
  }
  const cw = width / 2;
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const p = ((cy * 2 + dy) * width + cx * 2 + dx) * 3;
          r += rgb[p]!;
          g += rgb[p + 1]!;
          b += rgb[p + 2]!;
        }
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const ci = cy * cw + cx;
      out[uo + ci] = Math.min(240, Math.max(16, (128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256 + 0.5) | 0));
      out[vo + ci] = Math.min(240, Math.max(16, (128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256 + 0.5) | 0));
    }
  }
  return out;
}

/** Decodes an image (any format sharp reads) that is already width x height and packs it as Y4M. */
export async function imageToY4m(image: Buffer, width: number, height: number): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new Error(`Image is ${info.width}x${info.height}, expected ${width}x${height}`);
  }
  return rgbToY4m(data, width, height);
}
