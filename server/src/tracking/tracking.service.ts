import { z } from 'zod';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { BurstGate } from './burst-gate';
import { classify } from './classifier';
import type { IpHasher, TrackTokens } from './crypto';
import { EventIngester } from './event-ingester';
import type { IpRanges } from './ip-ranges';
import type { TrackingHooks } from './tracking.hooks';
import type { NewEvent, TrackingRepository, WriteResult } from './tracking.repository';
import type { PositionReport } from './watch-curve.repository';
import { MAX_POSITION_SEC } from './watch-curve.service';

/** The request facts the classifier needs; the IP is hashed before anything is stored. */
export interface HitContext {
  userAgent: string | undefined;
  ip: string | undefined;
  method: string;
}

export interface LinkTarget {
  tenantId: string;
  videoId: string;
  recipientId: string | null;
  deliveredAt: Date | null;
}

/**
 * The beacon body the watch page sends: `progress` carries a milestone (25/50/75/100), `pos` the furthest whole
 * second of continuous playback (the watch-through curve); the others carry no value.
 */
export const BeaconBody = z
  .object({
    t: z.string().min(10).max(600),
    e: z.enum(['play', 'progress', 'complete', 'cta', 'pos']),
    v: z.number().int().min(0).max(MAX_POSITION_SEC).optional(),
  })
  .refine((b) => (b.e === 'progress' ? [25, 50, 75, 100].includes(b.v as number) : b.e === 'pos' ? b.v !== undefined : b.v === undefined), {
    message: `v is required for progress (25, 50, 75 or 100) and pos (a whole second, 0–${MAX_POSITION_SEC}), and only for them`,
  });
export type BeaconBody = z.infer<typeof BeaconBody>;

/** Where human position reports go (the watch-through curve, see watch-curve.service.ts). */
export interface PositionSink {
  record(r: PositionReport): Promise<void>;
  flush(): Promise<void>;
}

interface Held {
  event: Omit<NewEvent, 'classification' | 'reason'>;
  ctx: HitContext;
  secondsSinceDelivery: number | null;
}

const ua = (s: string | undefined) => (s ? s.slice(0, 300) : null);

/** Records opens, clicks and player beacons: classifies, deduplicates, rate-limits and stores them with aggregates. */
export class TrackingService {
  private readonly ingester: EventIngester;
  private readonly gate: BurstGate<Held>;

  constructor(
    repo: TrackingRepository,
    private readonly tokens: TrackTokens,
    private readonly ipHasher: IpHasher,
    readonly hooks: TrackingHooks,
    private readonly limits: { session: { take(k: string): boolean }; ip: { take(k: string): boolean } },
    private readonly log: Logger,
    burstWindowMs?: number,
    /** Proxy/scanner networks (IP_RANGES_FILE, else the bundled ip-ranges.json); undefined = the classifier's default. */
    private readonly ranges?: IpRanges,
    /** Human `pos` reports go here; without it they are accepted and dropped. */
    private readonly positions?: PositionSink,
  ) {
    this.ingester = new EventIngester(repo, (r) => this.written(r), log);
    this.gate = new BurstGate<Held>((items, links) => this.releaseHeld(items, links), burstWindowMs);
  }

  /** A fresh beacon token for one page view. */
  issueToken(t: Omit<LinkTarget, 'deliveredAt'>): string {
    return this.tokens.sign(t).token;
  }

  /** Records a thumbnail fetch (open) or a page load (click). Held briefly to see bursts; never blocks the response. */
  recordLinkHit(target: LinkTarget, link: 'page' | 'poster' | 'gif', ctx: HitContext, now = Date.now()): void {
    const ipHash = this.ipHasher.hash(ctx.ip);
    const event = {
      tenant_id: target.tenantId,
      video_id: target.videoId,
      recipient_id: target.recipientId,
      session_id: null,
      type: link === 'page' ? ('click' as const) : ('open' as const),
      value: null,
      ip_hash: ipHash,
      user_agent: ua(ctx.userAgent),
      dedup_key: null,
    };
    const secondsSinceDelivery = target.deliveredAt ? (now - target.deliveredAt.getTime()) / 1000 : null;
    this.gate.add(`${target.recipientId ?? target.videoId}:${ipHash ?? '-'}`, link, { event, ctx, secondsSinceDelivery });
  }

  /** Validates and stores one player beacon; resolves after it is committed. */
  async recordBeacon(body: BeaconBody, ctx: HitContext, now = Date.now()): Promise<void> {
    const ipHash = this.ipHasher.hash(ctx.ip);
    if (!this.limits.ip.take(`i:${ipHash ?? '-'}`)) throw new AppError(429, 'rate_limited', 'Too many tracking events from this address; slow down');
    const claims = this.tokens.verify(body.t, now);
    if (claims === 'expired') throw new AppError(401, 'token_expired', 'This page view is too old to report; reload the page');
    if (claims === 'invalid') throw new AppError(401, 'token_invalid', 'Tracking token is not valid');
    if (!this.limits.session.take(`s:${claims.sessionId}`)) throw new AppError(429, 'rate_limited', 'Too many tracking events for this page view');
    const secondsSincePageLoad = now / 1000 - claims.loadedAt;
    const verdict = classify({
      type: body.e === 'pos' ? 'progress' : body.e,
      userAgent: ctx.userAgent,
      ip: ctx.ip,
      method: ctx.method,
      secondsSincePageLoad,
    }, this.ranges);
    if (body.e === 'pos') {
      // Positions feed only the curve, and only from people: no event row (a view sends one every few seconds).
      // Playing further than the time since the page loaded allows (even at 2x speed) is not a person watching.
      const possible = body.v! <= 2 * secondsSincePageLoad + 3;
      if (verdict.classification === 'human' && possible && this.positions) {
        await this.positions.record({ tenantId: claims.tenantId, videoId: claims.videoId, sessionId: claims.sessionId, second: body.v! });
      }
      return;
    }
    await this.ingester.submit({
      tenant_id: claims.tenantId,
      video_id: claims.videoId,
      recipient_id: claims.recipientId,
      session_id: claims.sessionId,
      type: body.e,
      value: body.v ?? null,
      ...verdict,
      ip_hash: ipHash,
      user_agent: ua(ctx.userAgent),
      dedup_key: `${claims.sessionId}:${body.e}${body.v ? `:${body.v}` : ''}`,
    });
  }

  /** Releases held link hits and waits until everything is committed (shutdown and tests). */
  async flush(): Promise<void> {
    this.gate.flushAll();
    await this.ingester.drain();
    await this.positions?.flush();
  }

  private releaseHeld(items: Held[], distinctLinks: number) {
    for (const h of items) {
      const verdict = classify({
        type: h.event.type,
        userAgent: h.ctx.userAgent,
        ip: h.ctx.ip,
        method: h.ctx.method,
        secondsSinceDelivery: h.secondsSinceDelivery,
        burstLinks: distinctLinks,
      }, this.ranges);
      this.ingester.submit({ ...h.event, ...verdict }).catch((err: unknown) => this.log.warn({ err }, 'could not store a link hit'));
    }
  }

  private written(r: WriteResult) {
    for (const e of r.stored) {
      if (e.type === 'delivered') continue;
      this.hooks.emitEvent({
        tenantId: e.tenant_id,
        videoId: e.video_id,
        recipientId: e.recipient_id,
        sessionId: e.session_id,
        type: e.type,
        value: e.value,
        classification: e.classification,
        at: e.created_at,
      });
    }
    for (const f of r.firstPlays) this.hooks.emitFirstView({ tenantId: f.tenant_id, videoId: f.video_id, recipientId: f.recipient_id });
  }
}
