import { BURST_WINDOW_MS } from './classifier';

interface Group<T> {
  items: T[];
  links: Set<string>;
}

/**
 * Holds link hits (thumbnail fetches, page loads) for a short window per message and client, then releases
 * them together with the number of distinct links hit: a scanner opening every link at once is visible.
 */
export class BurstGate<T> {
  private readonly groups = new Map<string, Group<T>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly release: (items: T[], distinctLinks: number) => void,
    private readonly windowMs = BURST_WINDOW_MS,
  ) {}

  add(key: string, link: string, item: T): void {
    let g = this.groups.get(key);
    if (!g) {
      g = { items: [], links: new Set() };
      this.groups.set(key, g);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.flush(key);
      }, this.windowMs);
      timer.unref();
      this.timers.add(timer);
    }
    g.items.push(item);
    g.links.add(link);
  }

  /** Releases every held group now (shutdown, tests). */
  flushAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const key of [...this.groups.keys()]) this.flush(key);
  }

  get pending(): number {
    return this.groups.size;
  }

  private flush(key: string) {
    const g = this.groups.get(key);
    if (!g) return;
    this.groups.delete(key);
    this.release(g.items, g.links.size);
  }
}
