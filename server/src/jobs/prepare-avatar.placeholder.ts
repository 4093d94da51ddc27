import type { JobHandler } from './job-handler';

/** Stand-in until the render-face work lands server/src/render/prepare/prepare.job.ts; fails loudly. */
export const prepareAvatarJob: JobHandler<'prepare-avatar'> = async (data) => {
  throw new Error(`prepare-avatar is not implemented yet (avatar ${data.avatarId})`);
};
