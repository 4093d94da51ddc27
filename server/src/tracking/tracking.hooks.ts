import type { Classification, TrackEventType } from '../db/tables/tracking';
import type { Logger } from '../logger';

/** A stored (deduplicated) tracking event, as seen by in-process subscribers such as outgoing webhooks. */
export interface TrackedEvent {
  tenantId: string;
  videoId: string;
  recipientId: string | null;
  sessionId: string | null;
  type: TrackEventType;
  value: number | null;
  classification: Classification;
  at: Date;
}

/** The first human play of a recipient's link (recipientId set) or of the shared video link. */
export interface FirstView {
  tenantId: string;
  videoId: string;
  recipientId: string | null;
}

type Listener<T> = (e: T) => void | Promise<void>;

/**
 * In-process subscriptions to tracking, called after the events are committed.
 * `onEvent` sees every stored event; `onHumanView` fires on each fresh human `play`; `onFirstView` once per link.
 * Listeners run detached: errors are logged and never reach the viewer's request.
 */
export class TrackingHooks {
  private readonly events: Listener<TrackedEvent>[] = [];
  private readonly views: Listener<TrackedEvent>[] = [];
  private readonly firsts: Listener<FirstView>[] = [];
  constructor(private readonly log: Logger) {}

  onEvent(fn: Listener<TrackedEvent>) {
    this.events.push(fn);
  }
  onHumanView(fn: Listener<TrackedEvent>) {
    this.views.push(fn);
  }
  onFirstView(fn: Listener<FirstView>) {
    this.firsts.push(fn);
  }

  emitEvent(e: TrackedEvent) {
    for (const fn of this.events) this.call(fn, e);
    if (e.type === 'play' && e.classification === 'human') for (const fn of this.views) this.call(fn, e);
  }
  emitFirstView(e: FirstView) {
    for (const fn of this.firsts) this.call(fn, e);
  }

  private call<T>(fn: Listener<T>, e: T) {
    try {
      Promise.resolve(fn(e)).catch((err: unknown) => this.log.error({ err }, 'tracking listener failed'));
    } catch (err) {
      this.log.error({ err }, 'tracking listener failed');
    }
  }
}
