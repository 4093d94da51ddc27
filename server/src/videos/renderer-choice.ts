import type { RendererName } from '@mvs/shared/schemas/videos';
import type { SendOptions } from '../jobs/queue';
import type { Config } from '../config';
import { AppError } from '../errors';
import { chooseRenderer } from '../render/renderers';
import type { AvatarRow } from './avatar-check';

/**
 * The renderer for a new video (chooseRenderer: the requested one, else 'photo' for a prepared avatar,
 * else 'static'), refusing up front with 422 renderer_unavailable one this server is not configured for.
 */
export function pickRenderer(avatar: AvatarRow, requested: RendererName | undefined, config: Config): RendererName {
  const name = chooseRenderer(avatar, requested);
  if (name === 'heygen' && !config.HEYGEN_API_KEY) {
    throw new AppError(422, 'renderer_unavailable', "The 'heygen' renderer is not configured on this server (HEYGEN_API_KEY)");
  }
  if (name === 'remote' && !config.REMOTE_RENDERER_URL) {
    throw new AppError(422, 'renderer_unavailable', "The 'remote' renderer is not configured on this server (REMOTE_RENDERER_URL)");
  }
  return name;
}

/** HeyGen renders take 5–15 minutes in their cloud; their jobs may stay active this long before expiring. */
export const SLOW_RENDER_EXPIRE_SECONDS = 3600;

/** Queue options for a render job: cloud renderers get a longer expiry so a slow render is not retried. */
export function renderJobOptions(renderer: RendererName, config: Pick<Config, 'JOB_EXPIRE_SECONDS'>): SendOptions {
  return renderer === 'heygen' ? { expireInSeconds: Math.max(SLOW_RENDER_EXPIRE_SECONDS, config.JOB_EXPIRE_SECONDS) } : {};
}
