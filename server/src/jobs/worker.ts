import type { Container } from '../container';

/** A running worker; stop() stops fetching, lets running jobs finish or requeues them. */
export interface Worker {
  stop(): Promise<void>;
}

/** Registers one handler per job name and starts fetching. (Filled in by the videos/jobs work.) */
export async function startWorker(container: Container): Promise<Worker> {
  container.logger.child({ module: 'worker' }).info('worker started');
  return { stop: async () => {} };
}
