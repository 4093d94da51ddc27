import { z } from '@hono/zod-openapi';

/** Limits for a recorded message that replaces TTS. */
export const RECORDING_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxDurationSec: 300,
  types: ['audio/mpeg', 'audio/wav', 'audio/mp4', 'audio/ogg', 'audio/webm'],
} as const;

/** multipart/form-data body of POST /api/v1/recordings. */
export const RecordingUpload = z
  .object({
    audio: z.any().optional().openapi({ type: 'string', format: 'binary', description: 'MP3, WAV, M4A, OGG or WebM audio, ≤ 10 MB, ≤ 5 min' }),
  })
  .openapi('RecordingUpload');

/** An uploaded recording of the sender; pass its id as `recording_id` when creating a video. */
export const Recording = z
  .object({
    id: z.string().uuid(),
    duration_sec: z.number().openapi({ example: 12.48 }),
    mime: z.string().openapi({ example: 'audio/webm' }),
    bytes: z.number().int(),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Recording');
export type Recording = z.infer<typeof Recording>;
