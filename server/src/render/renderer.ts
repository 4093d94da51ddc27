import type { Selectable } from 'kysely';
import type { AvatarsTable, VideosTable } from '../db/tables/core';
import type { ThumbnailBrand } from './captions';

export type RenderStage = 'tts' | 'prepare' | 'encode' | 'thumbnails' | 'upload';
export const RENDER_STAGES: RenderStage[] = ['tts', 'prepare', 'encode', 'thumbnails', 'upload'];

/** Output geometry per video format. */
export const FORMATS = {
  portrait: { width: 720, height: 1280 },
  landscape: { width: 1280, height: 720 },
  square: { width: 1080, height: 1080 },
} as const;
export type VideoFormat = keyof typeof FORMATS;

export interface RenderRequest {
  video: Selectable<VideosTable>;
  avatar: Selectable<AvatarsTable>;
  /** A private temp folder for this render; removed by the caller afterwards. */
  workDir: string;
  /** Reports a stage and its 0–100 progress within the stage. */
  onProgress(stage: RenderStage, percent: number): void;
  signal: AbortSignal;
  /** The workspace's branding for the poster and GIF (see watch/branding.ts); absent or null = neutral thumbnails. */
  branding?: ThumbnailBrand | null;
}

/** Local files the job handler checks with ffprobe and uploads to storage. */
export interface RenderOutput {
  videoPath: string;
  posterPath: string;
  gifPath: string;
  durationSec: number;
  width: number;
  height: number;
}

/** A way of turning a script and an avatar into a video: static, photo, heygen, remote. */
export interface Renderer {
  readonly name: 'static' | 'photo' | 'heygen' | 'remote';
  render(req: RenderRequest): Promise<RenderOutput>;
}
