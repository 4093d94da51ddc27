import sharp from 'sharp';
import type { PreparedAvatar } from './prepared';

/** Test helper: a drawn face whose sprites differ only by the mouth (a dark box of growing height) and the eyes. */
export async function syntheticAvatar(width = 720, height = 1280, levels = 6): Promise<PreparedAvatar> {
  const cx = width / 2;
  const unit = Math.min(width, height);
  const faceY = height * 0.42;
  const mouthY = faceY + unit * 0.16;
  const mouthW = unit * 0.16;
  const eyeY = faceY - unit * 0.08;
  const box = { x: Math.round(cx - mouthW), y: Math.round(mouthY - unit * 0.08), w: Math.round(mouthW * 2), h: Math.round(unit * 0.16) };
  const eye = (open: boolean) =>
    [-1, 1]
      .map((s) =>
        open
          ? `<ellipse cx="${cx + s * unit * 0.09}" cy="${eyeY}" rx="${unit * 0.035}" ry="${unit * 0.02}" fill="#222"/>`
          : `<rect x="${cx + s * unit * 0.09 - unit * 0.035}" y="${eyeY - 2}" width="${unit * 0.07}" height="4" fill="#5a3a2a"/>`,
      )
      .join('');
  const mouth = (kind: 'open' | 'closed' | 'rounded', level = 0) => {
    if (kind === 'closed') return `<rect x="${cx - mouthW * 0.55}" y="${mouthY - 2}" width="${mouthW * 1.1}" height="4" fill="#7a2a2a"/>`;
    if (kind === 'rounded') return `<ellipse cx="${cx}" cy="${mouthY}" rx="${mouthW * 0.28}" ry="${unit * 0.035}" fill="#3a0f0f"/>`;
    const h = 6 + (level / Math.max(1, levels - 1)) * unit * 0.1;
    return `<rect x="${cx - mouthW * 0.6}" y="${mouthY - h / 2}" width="${mouthW * 1.2}" height="${h}" rx="6" fill="#3a0f0f"/>`;
  };
  const frame = async (m: string, eyesOpen: boolean) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8aa4c8"/><stop offset="1" stop-color="#3b4f6b"/></linearGradient></defs>
      <rect width="100%" height="100%" fill="url(#bg)"/>
      <ellipse cx="${cx}" cy="${faceY}" rx="${unit * 0.26}" ry="${unit * 0.34}" fill="#e0b090"/>
      ${eye(eyesOpen)}${m}</svg>`;
    return sharp(Buffer.from(svg)).jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
  };
  const opens = Array.from({ length: levels }, (_, i) => mouth('open', i));
  return {
    width,
    height,
    landmarks: [],
    mouthBox: box,
    mouth: await Promise.all(opens.map((m) => frame(m, true))),
    blink: await Promise.all(opens.map((m) => frame(m, false))),
    closed: await frame(mouth('closed'), true),
    rounded: await frame(mouth('rounded'), true),
  };
}
