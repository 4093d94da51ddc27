import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookEvent } from '../db/tables/email';
import { AppError, notFound } from '../errors';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { assertPublicUrl, BlockedAddressError, postOutbound, systemResolver, type HostResolver } from '../net/outbound';
import { SecretBox } from '../security/secret-box';
import type { AuditRepository } from '../audit/audit.repository';

/** Who changes an endpoint, for the audit log. */
export interface Actor {
  userId: string;
  ipHash?: string | null;
}
import { signWebhook, SIGNATURE_HEADER } from './signature';
import type { DeliveryRow, EndpointRow, WebhooksRepository } from './webhooks.repository';

/** Deliveries stop being retried this long after the event. */
export const DELIVERY_WINDOW_MS = 24 * 3600_000;
/** With backoff doubling from WEBHOOK_RETRY_DELAY_SECONDS (30 s), 12 retries span about a day; the window check ends it. */
export const DELIVERY_RETRY_LIMIT = 12;
const TIMEOUT_MS = 10_000;

export type DeliverOutcome = 'delivered' | 'retry' | 'failed' | 'gone';

/** Outgoing webhooks: endpoints per tenant, signed deliveries queued as 'deliver-webhook' jobs, retried with backoff. */
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly queue: JobQueue,
    private readonly retryDelaySeconds: number,
    private readonly log: Logger,
    /** Deliver to loopback/private/link-local addresses too (WEBHOOK_ALLOW_PRIVATE_NETWORKS); off = SSRF guard. */
    private readonly allowPrivateNetworks: boolean,
    /** Seals signing secrets at rest; deliveries open them. */
    private readonly box: SecretBox,
    /** Resolves URL hosts at registration (the system resolver; tests use a local DNS server). */
    private readonly resolveHost: HostResolver = systemResolver,
    private readonly audit?: AuditRepository,
  ) {}

  private async record(tenantId: string, actor: Actor | undefined, action: string, id: string, details?: Record<string, unknown>) {
    await this.audit?.record({ tenantId, userId: actor?.userId ?? null, action, targetType: 'webhook', targetId: id, details, ipHash: actor?.ipHash });
  }

  /** Creates an endpoint; the answer carries the signing secret in clear, the only time it is shown. */
  async create(tenantId: string, input: { url: string; events: WebhookEvent[]; description?: string }, actor?: Actor): Promise<EndpointRow> {
    await assertUrl(input.url, this.allowPrivateNetworks, this.resolveHost);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const row = await this.repo.create({
      id,
      tenant_id: tenantId,
      url: input.url,
      events: JSON.stringify([...new Set(input.events)]),
      secret: this.box.seal(secret, secretContext(tenantId, id)),
      description: input.description ?? null,
    });
    await this.record(tenantId, actor, 'webhook.created', id, { url: input.url, events: input.events });
    return { ...row, secret };
  }

  /** Seals signing secrets still stored in clear (rows from before 0008_security); returns how many. */
  async sealLegacySecrets(): Promise<number> {
    let n = 0;
    for (const r of await this.repo.plainSecrets()) {
      if (await this.repo.replaceSecret(r.tenant_id, r.id, r.secret, this.box.seal(r.secret, secretContext(r.tenant_id, r.id)))) n++;
    }
    return n;
  }

  /** Re-seals every signing secret (of one tenant, or all) under the current key; returns how many changed. */
  async resealSecrets(tenantId?: string): Promise<number> {
    let n = 0;
    for (const r of await this.repo.allSecrets(tenantId)) {
      if (!this.box.needsReseal(r.secret)) continue;
      if (await this.repo.replaceSecret(r.tenant_id, r.id, r.secret, this.box.reseal(r.secret, secretContext(r.tenant_id, r.id)))) n++;
    }
    return n;
  }

  list(tenantId: string) {
    return this.repo.list(tenantId);
  }

  async get(tenantId: string, id: string): Promise<EndpointRow> {
    const e = await this.repo.get(tenantId, id);
    if (!e) throw notFound('Webhook', id);
    return e;
  }

  async update(tenantId: string, id: string, input: { url?: string; events?: WebhookEvent[]; description?: string | null; active?: boolean }, actor?: Actor) {
    if (input.url) await assertUrl(input.url, this.allowPrivateNetworks, this.resolveHost);
    const { events, ...rest } = input;
    const e = await this.repo.update(tenantId, id, { ...rest, ...(events ? { events: JSON.stringify([...new Set(events)]) } : {}) });
    if (!e) throw notFound('Webhook', id);
    await this.record(tenantId, actor, 'webhook.updated', id, { ...input });
    return e;
  }

  async remove(tenantId: string, id: string, actor?: Actor): Promise<void> {
    const e = await this.repo.get(tenantId, id);
    if (!e || !(await this.repo.remove(tenantId, id))) throw notFound('Webhook', id);
    await this.record(tenantId, actor, 'webhook.deleted', id, { url: e.url });
  }

  async deliveries(tenantId: string, id: string): Promise<DeliveryRow[]> {
    await this.get(tenantId, id);
    return this.repo.deliveries(tenantId, id, 100);
  }

  /**
   * Records one delivery per subscribed endpoint and queues it, rows and jobs in one transaction (a database that goes
   * away in between can no longer leave a 'pending' delivery that no job will send). Never throws (events must not
   * fail their source).
   */
  async emit(tenantId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void> {
    try {
      const endpoints = await this.repo.subscribed(tenantId, event);
      if (!endpoints.length) return;
      await this.queue.transaction(async (tx) => {
        for (const e of endpoints) {
          const id = randomUUID();
          const payload = { id, type: event, created_at: new Date().toISOString(), data };
          await this.repo.insertDelivery({ id, tenant_id: tenantId, endpoint_id: e.id, event, payload: JSON.stringify(payload), status: 'pending' }, tx.db);
          await tx.send('deliver-webhook', { tenantId, deliveryId: id }, { retryLimit: DELIVERY_RETRY_LIMIT, retryDelay: this.retryDelaySeconds, retryBackoff: true, expireInSeconds: 60 });
        }
      });
    } catch (err) {
      this.log.error({ err, event }, 'could not queue webhook deliveries');
    }
  }

  /** The signing secret of a delivery's endpoint, in clear (legacy rows not yet sealed are read as they are). */
  private secretOf(d: { tenant_id: string; endpoint_id: string; secret: string }): string {
    return SecretBox.isSealed(d.secret) ? this.box.open(d.secret, secretContext(d.tenant_id, d.endpoint_id)) : d.secret;
  }

  /**
   * Sends one signed test delivery to the endpoint now, as the first event it subscribes to with `test: true`, and
   * records it in the delivery log. One attempt, no retries: the answer says at once whether the receiver works.
   */
  async sendTest(tenantId: string, id: string): Promise<DeliveryRow> {
    const e = await this.get(tenantId, id);
    const deliveryId = randomUUID();
    const event = (e.events as WebhookEvent[])[0] ?? 'video.completed';
    const payload = {
      id: deliveryId,
      type: event,
      created_at: new Date().toISOString(),
      test: true,
      data: { message: 'A test delivery from Mail Video: if your endpoint verified the signature, it is set up right.' },
    };
    await this.repo.insertDelivery({ id: deliveryId, tenant_id: tenantId, endpoint_id: e.id, event, payload: JSON.stringify(payload), status: 'pending' });
    // retryCount at the limit: a failed attempt is final (marked failed), as a test should be.
    await this.deliver(tenantId, deliveryId, { retryCount: DELIVERY_RETRY_LIMIT });
    const d = await this.repo.deliveryWithEndpoint(tenantId, deliveryId);
    if (!d) throw notFound('Webhook delivery', deliveryId);
    const { url: _url, secret: _secret, active: _active, ...row } = d;
    return row;
  }

  /** One attempt: POSTs the signed payload; 2xx delivers, anything else is retried until the window or retries run out. */
  async deliver(tenantId: string, deliveryId: string, attempt: { retryCount: number; signal?: AbortSignal }): Promise<DeliverOutcome> {
    const d = await this.repo.deliveryWithEndpoint(tenantId, deliveryId);
    if (!d || d.status !== 'pending') return 'gone';
    if (!d.active) {
      await this.repo.markFailed(tenantId, d.id, 'endpoint disabled');
      return 'failed';
    }
    if (Date.now() - d.created_at.getTime() > DELIVERY_WINDOW_MS) {
      await this.repo.markFailed(tenantId, d.id, 'gave up after 24 hours');
      return 'failed';
    }
    const body = JSON.stringify(d.payload);
    let status: number | null = null;
    let error: string;
    try {
      // Redirects are not followed; private addresses are refused at connect time unless allowed.
      const res = await postOutbound(d.url, {
        headers: { 'content-type': 'application/json', 'user-agent': 'MailVideo-Webhooks/1', [SIGNATURE_HEADER]: signWebhook(this.secretOf(d), body), 'X-MVS-Event': d.event, 'X-MVS-Delivery': d.id },
        body,
        signal: attempt.signal ? AbortSignal.any([attempt.signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
        allowPrivate: this.allowPrivateNetworks,
      });
      status = res.status;
      if (status >= 200 && status < 300) {
        await this.repo.recordAttempt(tenantId, d.id, { status: 'delivered', last_status: status, last_error: null, delivered_at: new Date() });
        return 'delivered';
      }
      error = `receiver answered ${status}`;
    } catch (err) {
      error = `request failed: ${(err as Error).message}`.slice(0, 300);
    }
    const last = attempt.retryCount >= DELIVERY_RETRY_LIMIT;
    await this.repo.recordAttempt(tenantId, d.id, { status: last ? 'failed' : 'pending', last_status: status, last_error: error });
    return last ? 'failed' : 'retry';
  }
}

/** Where a signing secret is stored: its sealed value is bound to this (another row cannot reuse it). */
const secretContext = (tenantId: string, id: string) => `webhook:${tenantId}:${id}`;

async function assertUrl(url: string, allowPrivate: boolean, resolve: HostResolver) {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError(422, 'validation_failed', 'url: use an http(s) URL');
  if (u.username || u.password) throw new AppError(422, 'validation_failed', 'url: put no credentials in the URL; verify our signature instead');
  if (allowPrivate) return;
  try {
    await assertPublicUrl(u, resolve);
  } catch (e) {
    if (e instanceof BlockedAddressError) throw new AppError(422, 'url_not_public', `url: ${e.message}`);
    throw e;
  }
}
