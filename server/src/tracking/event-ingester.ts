import type { Logger } from '../logger';
import type { NewEvent, TrackingRepository, WriteResult } from './tracking.repository';

interface Pending<T> {
  event: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: events submitted while writes are in flight go into the next write together, so one
 * transaction carries many events. At most `writers` transactions run at once (2: one inserts while the other
 * waits for the hot aggregate rows, which every write locks in the same sorted order, so they cannot deadlock).
 * A submit resolves only after its event (and its aggregates) are committed.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T>[] = [];
  private readonly running = new Set<Promise<void>>();
  private kicked = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R>,
    private readonly onWritten: (r: R) => void,
    private readonly log: Logger,
    private readonly maxBatch = 1000,
    private readonly writers = 2,
  ) {}

  submit(event: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts writers after the current synchronous work, so a burst of submits (the burst gate releasing a
   * hundred link hits at once) becomes one transaction instead of one for the first event and one for the rest.
   */
  private kick() {
    if (this.kicked) return;
    this.kicked = true;
    queueMicrotask(() => {
      this.kicked = false;
      while (this.running.size < this.writers && this.queue.length) {
        const run: Promise<void> = this.loop().finally(() => this.running.delete(run));
        this.running.add(run);
      }
    });
  }

  /** Resolves once everything submitted so far is written. */
  async drain(): Promise<void> {
    await Promise.resolve(); // let a pending kick start its writers
    while (this.running.size) {
      await Promise.all([...this.running]);
      await Promise.resolve();
    }
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: Pending<T>[]): Promise<void> {
    try {
      const result = await this.write(batch.map((p) => p.event));
      for (const p of batch) p.resolve();
      this.notify(result);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad event (e.g. its video was just deleted) must not sink the others: retry them one by one.
      this.log.warn({ err, size: batch.length }, 'event batch failed; retrying singly');
      for (const p of batch) await this.writeBatch([p]);
    }
  }

  private notify(result: R) {
    try {
      this.onWritten(result);
    } catch (err) {
      this.log.error({ err }, 'event listener failed');
    }
  }
}

/** Group commit of tracking events and their aggregates (TrackingRepository.write). */
export class EventIngester extends GroupCommit<NewEvent, WriteResult> {
  constructor(repo: TrackingRepository, onWritten: (r: WriteResult) => void, log: Logger, maxBatch?: number, writers?: number) {
    super((events) => repo.write(events), onWritten, log, maxBatch, writers);
  }
}
