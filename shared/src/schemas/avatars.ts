import { z } from '@hono/zod-openapi';
import { Language } from './common';

/** Upload limits shared by the server checks and the front ends' hints. */
export const AVATAR_LIMITS = {
  maxPhotoBytes: 10 * 1024 * 1024,
  maxVoiceBytes: 10 * 1024 * 1024,
  minPhotoShortSide: 256,
  photoTypes: ['image/jpeg', 'image/png', 'image/webp'],
  voiceTypes: ['audio/mpeg', 'audio/wav', 'audio/mp4', 'audio/ogg', 'audio/webm'],
} as const;

export const AvatarStatus = z.enum(['draft', 'processing', 'ready', 'failed']).openapi('AvatarStatus');
export type AvatarStatus = z.infer<typeof AvatarStatus>;

/** Text-to-speech settings of an avatar's voice. */
export const VoiceSettings = z
  .object({
    engine: z.enum(['espeak', 'openai', 'elevenlabs']).optional(),
    voice: z.string().trim().min(1).max(100).optional().openapi({ example: 'en-us' }),
    rate: z.number().min(0.5).max(2).optional().openapi({ description: 'Speaking speed, 1 = normal' }),
    pitch: z.number().min(0.5).max(2).optional(),
  })
  .openapi('VoiceSettings');
export type VoiceSettings = z.infer<typeof VoiceSettings>;

/** The likeness-consent record an avatar needs before its first render. */
export const Consent = z
  .object({
    by: z.string().uuid().openapi({ description: 'User who confirmed' }),
    at: z.string().openapi({ example: '2026-01-31T09:00:00.000Z' }),
    statement: z.string(),
  })
  .openapi('Consent');

/** An avatar: a photo (and optionally a voice sample) that videos are rendered from. */
export const Avatar = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    status: AvatarStatus,
    error: z.string().nullable(),
    error_code: z.string().nullable(),
    photo_url: z.string().nullable().openapi({ description: 'Signed, expiring URL of the stored photo' }),
    photo_width: z.number().int().nullable(),
    photo_height: z.number().int().nullable(),
    has_voice: z.boolean(),
    voice_duration_sec: z.number().nullable(),
    voice_settings: VoiceSettings,
    language: z.string().openapi({ example: 'en' }),
    consent: Consent.nullable(),
    ready_renderers: z.array(z.string()).openapi({ example: ['static', 'photo'] }),
    owner_id: z.string().uuid(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Avatar');
export type Avatar = z.infer<typeof Avatar>;

export const CreateAvatarRequest = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Lan (office)' }),
    language: Language.default('en'),
    voice_settings: VoiceSettings.optional(),
  })
  .openapi('CreateAvatarRequest');

export const UpdateAvatarRequest = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    language: Language.optional(),
    voice_settings: VoiceSettings.optional(),
  })
  .openapi('UpdateAvatarRequest');

export const ConsentRequest = z
  .object({
    statement: z
      .string()
      .trim()
      .min(10)
      .max(2000)
      .openapi({ example: 'I am the person in this photo and agree to AI-generated videos of my likeness.' }),
    confirmed: z.literal(true).openapi({ description: 'Must be true' }),
  })
  .openapi('ConsentRequest');

const binary = (description: string) => z.any().optional().openapi({ type: 'string', format: 'binary', description });

export const PhotoUpload = z
  .object({ photo: binary('JPEG, PNG or WebP, ≤ 10 MB, short side ≥ 256 px') })
  .openapi('PhotoUpload');
export const VoiceUpload = z
  .object({ voice: binary('MP3, WAV, M4A, OGG or WebM audio, ≤ 10 MB') })
  .openapi('VoiceUpload');
