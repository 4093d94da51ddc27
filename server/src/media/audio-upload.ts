import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

/** Audio containers we accept for uploads (file-type's ext) → what we store them as. */
const AUDIO_TYPES: Record<string, { mime: string; ext: string }> = {
  mp3: { mime: 'audio/mpeg', ext: 'mp3' },
  wav: { mime: 'audio/wav', ext: 'wav' },
  m4a: { mime: 'audio/mp4', ext: 'm4a' },
  mp4: { mime: 'audio/mp4', ext: 'm4a' },
  ogg: { mime: 'audio/ogg', ext: 'ogg' },
  oga: { mime: 'audio/ogg', ext: 'ogg' },
  opus: { mime: 'audio/ogg', ext: 'ogg' },
  webm: { mime: 'audio/webm', ext: 'webm' },
};

/** Detects an uploaded audio file by its content (never its declared type). */
export async function detectAudio(input: Buffer): Promise<{ stored?: { mime: string; ext: string }; detected: string }> {
  const type = await fileTypeFromBuffer(input);
  return { stored: type ? AUDIO_TYPES[type.ext] : undefined, detected: type ? type.mime : 'not recognised audio' };
}

/** Writes bytes to a private temp file (tools like ffprobe need a path), runs `fn`, then removes the file. */
export async function withTempFile<T>(input: Buffer, ext: string, fn: (file: string) => Promise<T>): Promise<T> {
  const tmp = path.join(os.tmpdir(), `mvs-upload-${randomBytes(8).toString('hex')}.${ext}`);
  try {
    await fs.writeFile(tmp, input, { mode: 0o600 });
    return await fn(tmp);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
