import type { RendererName } from '@mvs/shared/schemas/videos';
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
