import { AVATAR_LIMITS } from '@mvs/shared/schemas/avatars';
import { detectAudio, withTempFile } from '../media/audio-upload';
import { AppError } from '../errors';
import { probeAudio } from './voice-probe';

/** A voice sample that passed the checks, with its measured duration. */
export interface CheckedVoice {
  mime: string;
  ext: string;
  durationSec: number;
}

/** Checks a voice sample by content (mp3/wav/m4a/ogg/webm) and measures its duration with ffprobe. */
export async function checkVoice(input: Buffer, label: string, ffprobe: string): Promise<CheckedVoice> {
  if (input.length > AVATAR_LIMITS.maxVoiceBytes) {
    throw new AppError(413, 'file_too_large', `${label}: the voice sample is larger than ${AVATAR_LIMITS.maxVoiceBytes / 1024 / 1024} MB; trim it`);
  }
  const { stored, detected } = await detectAudio(input);
  if (!stored) {
    throw new AppError(415, 'unsupported_file_type', `${label}: the file's content is ${detected}; upload MP3, WAV, M4A, OGG or WebM audio`);
  }
  return withTempFile(input, stored.ext, async (file) => {
    const probe = await probeAudio(ffprobe, file).catch(() => null);
    if (!probe?.hasAudio || probe.durationSec === null) {
      throw new AppError(422, 'unreadable_file', `${label}: the audio cannot be read (corrupt, truncated or without sound); record it again`);
    }
    return { ...stored, durationSec: Math.round(probe.durationSec * 1000) / 1000 };
  });
}
