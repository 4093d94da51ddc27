import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { imageToY4m } from '../media/y4m';
import type { PreparedAvatar } from './prepared';

/** The sprite JPEG for a sprite name from the frame plan (`m3`, `b3`, `closed`, `rounded`). */
export function spriteJpeg(p: PreparedAvatar, name: string): Buffer {
  if (name === 'closed') return p.closed;
  if (name === 'rounded') return p.rounded;
  const i = Number(name.slice(1));
  const list = name.startsWith('b') ? p.blink : p.mouth;
  const jpeg = list[Math.min(i, list.length - 1)];
  if (!jpeg) throw new Error(`Prepared avatar has no sprite "${name}"`);
  return jpeg;
}

/** SHA-1 of sprite JPEGs by buffer (a loaded sprite set is reused across renders: see AvatarPrepareService.load). */
const hashes = new WeakMap<Buffer, string>();
const hashOf = (jpeg: Buffer) => {
  let h = hashes.get(jpeg);
  if (!h) hashes.set(jpeg, (h = createHash('sha1').update(jpeg).digest('hex')));
  return h;
};

/**
 * Writes the sprites a render uses as Y4M files (raw YUV, read by ffmpeg without decoding) into a cache
 * folder keyed by the JPEG's hash, so later renders of the same avatar skip the conversion.
 */
export async function spriteFiles(p: PreparedAvatar, names: string[], cacheDir: string): Promise<Map<string, string>> {
  await fs.mkdir(cacheDir, { recursive: true });
  const files = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      const jpeg = spriteJpeg(p, name);
      const hash = hashOf(jpeg);
      const file = path.join(cacheDir, `${hash}-${p.width}x${p.height}.y4m`);
      const exists = await fs.stat(file).then(() => true, () => false);
      if (!exists) {
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await fs.writeFile(tmp, await imageToY4m(jpeg, p.width, p.height));
        await fs.rename(tmp, file);
      }
      files.set(name, file);
    }),
  );
  return files;
}
