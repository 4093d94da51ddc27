import { AppError } from '../../errors';
import type { JobHandler } from '../../jobs/job-handler';
import { willRetry } from '../../jobs/job-handler';
import { PrepareRepository } from './prepare.repository';
import { prepareServiceFor } from './prepare.service';

/**
 * 'prepare-avatar': face detection + sprites for the avatar's photo (portrait), cached; avatar → ready.
 * A photo we refuse (422) marks the avatar failed with the code and hint and is not retried; a vanished
 * avatar or photo is skipped; anything else is thrown for a retry and marks the avatar failed on the last one.
 */
export const prepareAvatarJob: JobHandler<'prepare-avatar'> = async (data, ctx) => {
  const repo = new PrepareRepository(ctx.container.db);
  try {
    await prepareServiceFor(ctx.container).prepare(data.tenantId, data.avatarId, ['portrait']);
    return 'success';
  } catch (err) {
    const avatar = await repo.get(data.tenantId, data.avatarId);
    if (err instanceof AppError && err.status === 422) {
      const hint = (err.details as { hint?: string } | undefined)?.hint;
      await repo.markFailed(data.tenantId, data.avatarId, avatar?.photo_key ?? null, err.code, hint ? `${err.message}. ${hint}` : err.message);
      ctx.log.info({ avatarId: data.avatarId, code: err.code }, 'avatar photo refused');
      return 'skipped';
    }
    if (err instanceof AppError && (err.status === 404 || err.status === 409)) {
      ctx.log.info({ avatarId: data.avatarId, code: err.code }, 'avatar preparation skipped');
      return 'skipped';
    }
    if (!willRetry(ctx)) {
      await repo.markFailed(data.tenantId, data.avatarId, avatar?.photo_key ?? null, 'render_failed', 'Preparing the photo failed; try uploading it again.');
    }
    throw err;
  }
};
