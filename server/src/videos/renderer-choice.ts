import type { RendererName } from '@mvs/shared/schemas/videos';
import type { Config } from '../config';
import { isPrepared, type AvatarRow } from './avatar-check';
import { AppError } from '../errors';

/**
 * The renderer for a new video: the requested one when it can run, else 'photo' for a prepared avatar and
 * 'static' otherwise. Refuses a requested renderer that cannot run with 422 renderer_unavailable.
 */
export function pickRenderer(avatar: AvatarRow, requested: RendererName | undefined, config: Config): RendererName {
  const prepared = isPrepared(avatar);
  if (!requested) return prepared ? 'photo' : 'static';
  if (requested === 'photo' && !prepared) {
    const why = avatar.status === 'failed' ? `could not be prepared (${avatar.error ?? 'unknown reason'})` : 'is not prepared yet';
    throw new AppError(422, 'avatar_not_ready', `Avatar "${avatar.name}" ${why}, so the 'photo' renderer cannot run; use 'static' or wait until it is ready`);
  }
  if (requested === 'heygen' && !config.HEYGEN_API_KEY) {
    throw new AppError(422, 'renderer_unavailable', "The 'heygen' renderer is not configured on this server (HEYGEN_API_KEY)");
  }
  if (requested === 'remote' && !config.REMOTE_RENDERER_URL) {
    throw new AppError(422, 'renderer_unavailable', "The 'remote' renderer is not configured on this server (REMOTE_RENDERER_URL)");
  }
  return requested;
}
