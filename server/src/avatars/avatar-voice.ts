import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AVATAR_LIMITS } from '@mvs/shared/schemas/avatars';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors';
import { probeAudio } from './voice-probe';

/** A voice sample that passed the checks, with its measured duration. */
export interface CheckedVoice {
  mime: string;
  ext: string;
  durationSec: number;
}

/** Detected container (file-type's ext) → what we store it as. */
const VOICE_TYPES: Record<string, { mime: string; ext: string }> = {
  mp3: { mime: 'audio/mpeg', ext: 'mp3' },
  wav: { mime: 'audio/wav', ext: 'wav' },
  m4a: { mime: 'audio/mp4', ext: 'm4a' },
  mp4: { mime: 'audio/mp4', ext: 'm4a' },
  ogg: { mime: 'audio/ogg', ext: 'ogg' },
  oga: { mime: 'audio/ogg', ext: 'ogg' },
  opus: { mime: 'audio/ogg', ext: 'ogg' },
  webm: { mime: 'audio/webm', ext: 'webm' },
};

/** Checks a voice sample by content (mp3/wav/m4a/ogg/webm) and measures its duration with ffprobe. */
export async function checkVoice(input: Buffer, label: string, ffprobe: string): Promise<CheckedVoice> {
  if (input.length > AVATAR_LIMITS.maxVoiceBytes) {
    throw new AppError(413, 'file_too_large', `${label}: the voice sample is larger than ${AVATAR_LIMITS.maxVoiceBytes / 1024 / 1024} MB; trim it`);
  }
  const type = await fileTypeFromBuffer(input);
  const stored = type ? VOICE_TYPES[type.ext] : undefined;
  if (!type || !stored) {
    throw new AppError(
      415,
      'unsupported_file_type',
      `${label}: the file's content is ${type ? type.mime : 'not recognised audio'}; upload MP3, WAV, M4A, OGG or WebM audio`,
    );
  }
  const tmp = path.join(os.tmpdir(), `mvs-voice-${randomBytes(8).toString('hex')}.${stored.ext}`);
  try {
    await fs.writeFile(tmp, input);
    const probe = await probeAudio(ffprobe, tmp).catch(() => null);
    if (!probe?.hasAudio || probe.durationSec === null) {
      throw new AppError(422, 'unreadable_file', `${label}: the audio cannot be read (corrupt, truncated or without sound); record it again`);
    }
    return { ...stored, durationSec: Math.round(probe.durationSec * 1000) / 1000 };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
