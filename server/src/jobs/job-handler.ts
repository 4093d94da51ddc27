import type { Container } from '../container';
import type { Logger } from '../logger';
import type { JobName, JobPayloads } from './queue';

export interface JobContext {
  container: Container;
  log: Logger;
  signal: AbortSignal;
  jobId: string;
  /** 0 on the first attempt; the job is retried while retryCount < retryLimit. */
  retryCount: number;
  retryLimit: number;
}

/** True when a failure of this attempt will be retried by the queue. */
export const willRetry = (ctx: Pick<JobContext, 'retryCount' | 'retryLimit'>) => ctx.retryCount < ctx.retryLimit;

/** A job handler: resolve 'success' or 'skipped'; throw to fail (retried with backoff). */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<'success' | 'skipped'>;

export type JobHandlers = { [N in JobName]: JobHandler<N> };
