import { BURST_WINDOW_MS } from './classifier';

interface Group<T> {
  items: T[];
  links: Set<string>;
  /** When the first hit of the group arrived (ms). */
  at: number;
}

/**
 * Holds link hits (thumbnail fetches, page loads) for a short window per message and client, then releases
 * them together with the number of distinct links hit: a scanner opening every link at once is visible.
 *
 * One sweep timer (every windowMs/20 while anything is held) releases every group whose window has passed, so a
 * busy campaign (a thousand viewers a second) makes ten releases a second of many hits each, which the event
 * ingester then writes in a few transactions, instead of a timer and a transaction per viewer. Groups are
 * kept in arrival order, so a sweep only looks at the ones it releases.
 */
export class BurstGate<T> {
  private readonly groups = new Map<string, Group<T>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly release: (items: T[], distinctLinks: number) => void,
    private readonly windowMs = BURST_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  add(key: string, link: string, item: T): void {
    let g = this.groups.get(key);
    if (!g) {
      g = { items: [], links: new Set(), at: this.now() };
      this.groups.set(key, g);
      if (!this.timer) {
        this.timer = setInterval(() => this.sweep(), Math.max(5, Math.round(this.windowMs / 20)));
        this.timer.unref();
      }
    }
    g.items.push(item);
    g.links.add(link);
  }

  /** Releases every held group now (shutdown, tests). */
  flushAll(): void {
    for (const key of [...this.groups.keys()]) this.flush(key);
    this.stopIfIdle();
  }

  get pending(): number {
    return this.groups.size;
  }

  private sweep() {
    const due = this.now() - this.windowMs;
    for (const [key, g] of this.groups) {
      if (g.at > due) break; // arrival order: the rest are younger
      this.flush(key);
    }
    this.stopIfIdle();
  }

  private stopIfIdle() {
    if (this.groups.size || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private flush(key: string) {
    const g = this.groups.get(key);
    if (!g) return;
    this.groups.delete(key);
    this.release(g.items, g.links.size);
  }
}
