import { RECORDING_LIMITS } from '@mvs/shared/schemas/recordings';
import { AppError } from '../../errors';
import { detectAudio, withTempFile } from '../../media/audio-upload';
import type { AudioTools } from '../audio.ffmpeg';

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
  const { stored, detected } = await detectAudio(input);
  if (!stored) {
    throw new AppError(415, 'unsupported_file_type', `The file's content is ${detected}; upload MP3, WAV, M4A, OGG or WebM audio`);
  }
  return withTempFile(input, stored.ext, async (file) => {
    const probe = await audio.probe(file).catch(() => null);
    if (!probe) throw new AppError(422, 'unreadable_file', 'The recording cannot be read (corrupt, truncated or without sound); record it again');
    if (probe.durationSec > RECORDING_LIMITS.maxDurationSec) {
      throw new AppError(422, 'unprocessable', `The recording lasts ${Math.round(probe.durationSec)} s; keep it under ${RECORDING_LIMITS.maxDurationSec} s`);
    }
    return { ...stored, durationSec: Math.round(probe.durationSec * 1000) / 1000 };
  });
}
