import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RECORDING_LIMITS } from '@mvs/shared/schemas/recordings';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors';
import type { AudioTools } from '../audio.ffmpeg';

/** Detected container (file-type's ext) → what we store it as. */
const TYPES: Record<string, { mime: string; ext: string }> = {
  mp3: { mime: 'audio/mpeg', ext: 'mp3' },
  wav: { mime: 'audio/wav', ext: 'wav' },
  m4a: { mime: 'audio/mp4', ext: 'm4a' },
  mp4: { mime: 'audio/mp4', ext: 'm4a' },
  ogg: { mime: 'audio/ogg', ext: 'ogg' },
  oga: { mime: 'audio/ogg', ext: 'ogg' },
  opus: { mime: 'audio/ogg', ext: 'ogg' },
  webm: { mime: 'audio/webm', ext: 'webm' },
};

export interface CheckedRecording {
  mime: string;
  ext: string;
  durationSec: number;
}

/** Checks a recording by content (never by its declared type), its size, and that ffprobe can measure it. */
export async function checkRecording(input: Buffer | undefined, audio: AudioTools): Promise<CheckedRecording> {
  if (!input || input.length === 0) throw new AppError(422, 'missing_file', 'Send the recording as multipart/form-data in the field "audio"');
  const mb = RECORDING_LIMITS.maxBytes / 1024 / 1024;
  if (input.length > RECORDING_LIMITS.maxBytes) throw new AppError(413, 'file_too_large', `The recording is larger than ${mb} MB; send a shorter or more compressed one`);
  const type = await fileTypeFromBuffer(input);
  const stored = type ? TYPES[type.ext] : undefined;
  if (!stored) {
    throw new AppError(415, 'unsupported_file_type', `The file's content is ${type ? type.mime : 'not recognised audio'}; upload MP3, WAV, M4A, OGG or WebM audio`);
  }
  const tmp = path.join(os.tmpdir(), `mvs-rec-${randomBytes(8).toString('hex')}.${stored.ext}`);
  try {
    await fs.writeFile(tmp, input);
    const probe = await audio.probe(tmp).catch(() => null);
    if (!probe) throw new AppError(422, 'unreadable_file', 'The recording cannot be read (corrupt, truncated or without sound); record it again');
    if (probe.durationSec > RECORDING_LIMITS.maxDurationSec) {
      throw new AppError(422, 'unprocessable', `The recording lasts ${Math.round(probe.durationSec)} s; keep it under ${RECORDING_LIMITS.maxDurationSec} s`);
    }
    return { ...stored, durationSec: Math.round(probe.durationSec * 1000) / 1000 };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
