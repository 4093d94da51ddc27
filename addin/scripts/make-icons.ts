// Regenerates the add-in's ribbon/app icons (addin/assets/icon-<size>.png) from one SVG drawing.
// Run: npx tsx addin/scripts/make-icons.ts — the PNGs are committed, so builds need no image tooling.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80, 128] as const;

/** A blue rounded tile with a white envelope and a play badge; the badge grows at small sizes to stay legible. */
export function iconSvg(size: number): string {
  const small = size <= 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">
  <rect x="2" y="2" width="60" height="60" rx="${small ? 10 : 13}" fill="#0F6CBD"/>
  ${small ? '' : '<rect x="10" y="16" width="36" height="26" rx="3" fill="none" stroke="#fff" stroke-width="3.5"/><path d="M11 18 L28 31 L45 18" fill="none" stroke="#fff" stroke-width="3.5" stroke-linejoin="round"/>'}
  <circle cx="${small ? 32 : 44}" cy="${small ? 32 : 44}" r="${small ? 22 : 14}" fill="#fff"/>
  <path d="${small ? 'M25 19 L45 32 L25 45 Z' : 'M39.5 36 L52 44 L39.5 52 Z'}" fill="#0F6CBD"/>
</svg>`;
}

async function main() {
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets');
  for (const size of ICON_SIZES) {
    await sharp(Buffer.from(iconSvg(size)), { density: 72 * Math.max(1, size / 64) * 4 })
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toFile(path.join(out, `icon-${size}.png`));
  }
  process.stdout.write(`wrote ${ICON_SIZES.length} icons to ${out}\n`);
}

await main();
