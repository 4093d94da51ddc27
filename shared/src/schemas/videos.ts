import { z } from '@hono/zod-openapi';
import { Language, PageQuery, Uuid } from './common';

/** Longest script a video accepts, in characters (after trimming): the documented maximum. */
export const SCRIPT_MAX_CHARS = 100_000;

export const VideoStatus = z.enum(['queued', 'rendering', 'completed', 'failed', 'canceled']).openapi('VideoStatus');
export type VideoStatus = z.infer<typeof VideoStatus>;

export const RendererName = z.enum(['photo', 'static', 'heygen', 'remote']).openapi('RendererName');
export type RendererName = z.infer<typeof RendererName>;

export const VideoFormat = z.enum(['portrait', 'landscape', 'square']).openapi('VideoFormat');
export type VideoFormat = z.infer<typeof VideoFormat>;

export const RenderStageName = z.enum(['tts', 'prepare', 'encode', 'thumbnails', 'upload']).openapi('RenderStage');

/** Create a video: the script is checked by the service (422 script_empty / script_too_long). */
export const CreateVideoRequest = z
  .object({
    avatar_id: Uuid.openapi({ example: '605f28ea-8094-4356-b8b3-09f7e2229425' }),
    // The length is checked by the service after trimming (422 script_too_long names both lengths); the body
    // limit (1 MiB) bounds what arrives. The documented maximum stays in the OpenAPI document.
    script: z.string().openapi({
      example: 'Xin chào anh Minh, cảm ơn anh đã quan tâm.',
      maxLength: SCRIPT_MAX_CHARS,
      description: `What the avatar says: up to ${SCRIPT_MAX_CHARS.toLocaleString('en')} characters after trimming (longer: 422 script_too_long)`,
    }),
    language: Language.optional().openapi({ description: 'Defaults to the language detected from the script' }),
    renderer: RendererName.optional().openapi({ description: "Defaults to 'photo' when the avatar is prepared, else 'static'" }),
    format: VideoFormat.optional().openapi({ description: 'portrait 720x1280 (default), landscape 1280x720, square 1080x1080' }),
    title: z.string().trim().max(200).optional(),
    cta_label: z.string().trim().max(80).optional(),
    cta_url: z
      .string()
      .url()
      .max(2000)
      .refine((u) => /^https?:\/\//i.test(u), 'cta_url must start with http:// or https://')
      .optional(),
    recipient_name: z.string().trim().max(120).optional(),
    tts: z
      .object({ engine: z.enum(['espeak', 'openai', 'elevenlabs']), voice: z.string().max(120).optional() })
      .optional(),
    recording_id: Uuid.optional().openapi({ description: 'An uploaded recording to use instead of TTS' }),
    head_motion: z
      .boolean()
      .optional()
      .openapi({ description: "Photo renderer: small natural head motion (sway, nods, brow lifts, breathing). Default true; false = lips and blinks only" }),
  })
  .openapi('CreateVideoRequest');
export type CreateVideoRequest = z.infer<typeof CreateVideoRequest>;

/** A video as the API shows it; URLs are signed and expire. */
export const Video = z
  .object({
    id: z.string().uuid(),
    avatar_id: z.string().uuid(),
    title: z.string().nullable(),
    script: z.string(),
    language: z.string(),
    renderer: z.string(),
    format: z.string(),
    status: VideoStatus,
    progress: z.number().int().min(0).max(100),
    stage: z.string().nullable(),
    error: z.string().nullable(),
    error_code: z.string().nullable(),
    duration_sec: z.number().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    video_bytes: z.number().int().nullable(),
    poster_bytes: z.number().int().nullable(),
    gif_bytes: z.number().int().nullable(),
    video_url: z.string().nullable(),
    poster_url: z.string().nullable(),
    gif_url: z.string().nullable(),
    watch_url: z.string(),
    slug: z.string(),
    cta_label: z.string().nullable(),
    cta_url: z.string().nullable(),
    attempts: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi('Video');
export type Video = z.infer<typeof Video>;

export const VideoListQuery = PageQuery.extend({
  status: VideoStatus.optional(),
  avatar_id: Uuid.optional(),
  q: z.string().trim().max(200).optional().openapi({ description: 'Words the title or script contains (case-insensitive)', example: 'pricing' }),
});

export const VideoPage = z
  .object({ items: z.array(Video), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
  .openapi('VideoPage');

/** Data of the SSE `progress` event on GET /api/v1/videos/{id}/events; `done` carries the Video. */
export const VideoProgressEvent = z
  .object({ status: VideoStatus, stage: z.string().nullable(), progress: z.number().int() })
  .openapi('VideoProgressEvent');
export type VideoProgressEvent = z.infer<typeof VideoProgressEvent>;
