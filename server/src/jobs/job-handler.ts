import type { Container } from '../container';
import type { Logger } from '../logger';
import type { JobName, JobPayloads } from './queue';

export interface JobContext {
  container: Container;
  log: Logger;
  signal: AbortSignal;
  jobId: string;
  retryCount: number;
}

/** A job handler: resolve 'success' or 'skipped'; throw to fail (retried with backoff). */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<'success' | 'skipped'>;

export type JobHandlers = { [N in JobName]: JobHandler<N> };
