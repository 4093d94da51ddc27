import { createHash, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import type { SendRepository } from '../emails/send.repository';
import type { Logger } from '../logger';
import type { RecipientsService } from '../tracking/recipients.service';
import type { SendGridEventsRepository } from './sendgrid-events.repository';

export const SIGNATURE = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';
const TOLERANCE_SEC = 600;

const Uuid = z.string().uuid();
const SgEvent = z
  .object({
    event: z.string().max(50),
    sg_event_id: z.string().max(200).optional(),
    sg_message_id: z.string().max(300).optional(),
    timestamp: z.number().optional(),
    reason: z.string().optional(),
    type: z.string().optional(),
    // Our custom_args, flattened into every event by SendGrid.
    tenant_id: z.string().optional(),
    message_id: z.string().optional(),
  })
  .passthrough();
const SgBatch = z.array(SgEvent).max(10_000);

export interface SendGridEventsResult {
  received: number;
  applied: number;
  duplicates: number;
  ignored: number;
}

/**
 * The SendGrid signed event webhook: ECDSA P-256 over `timestamp + raw body` with the account's public key,
 * then delivery events mapped to our messages and recipients. Opens and clicks are stored on the message only:
 * our own thumbnail and links already record them with bot classification (SendGrid tracking is switched off).
 */
export class SendGridEventsService {
  private readonly key: KeyObject | null;
  constructor(
    publicKeyB64: string | undefined,
    private readonly repo: SendGridEventsRepository,
    private readonly sends: SendRepository,
    private readonly recipients: RecipientsService,
    private readonly log: Logger,
  ) {
    this.key = publicKeyB64 ? createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' }) : null;
  }

  verify(signature: string | undefined, timestamp: string | undefined, rawBody: string, nowSec = Date.now() / 1000): void {
    if (!this.key) throw new AppError(401, 'invalid_signature', 'The SendGrid event webhook is not configured: set SENDGRID_WEBHOOK_PUBLIC_KEY');
    if (!signature || !timestamp) throw new AppError(401, 'invalid_signature', `Missing ${SIGNATURE} or ${TIMESTAMP}`);
    const t = Number(timestamp);
    if (!Number.isFinite(t) || Math.abs(nowSec - t) > TOLERANCE_SEC) throw new AppError(401, 'invalid_signature', 'Signature timestamp is too old or malformed');
    let ok: boolean;
    try {
      ok = createVerify('sha256').update(timestamp + rawBody).verify(this.key, Buffer.from(signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) throw new AppError(401, 'invalid_signature', 'SendGrid signature does not verify');
  }

  async ingest(rawBody: string): Promise<SendGridEventsResult> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new AppError(422, 'validation_failed', 'Body must be a JSON array of SendGrid events');
    }
    const batch = SgBatch.safeParse(parsed);
    if (!batch.success) throw new AppError(422, 'validation_failed', 'Body must be a JSON array of SendGrid events', batch.error.issues.slice(0, 5));
    const out: SendGridEventsResult = { received: batch.data.length, applied: 0, duplicates: 0, ignored: 0 };
    for (const e of batch.data) {
      const r = await this.apply(e);
      out[r] += 1;
    }
    return out;
  }

  private async apply(e: z.infer<typeof SgEvent>): Promise<'applied' | 'duplicates' | 'ignored'> {
    if (!Uuid.safeParse(e.tenant_id).success || !Uuid.safeParse(e.message_id).success) return 'ignored';
    const tenantId = e.tenant_id!;
    const m = await this.repo.message(tenantId, e.message_id!);
    if (!m) return 'ignored';
    const eventId = e.sg_event_id ?? createHash('sha256').update(JSON.stringify(e)).digest('base64url');
    if (!(await this.repo.claimEvent({ event_id: eventId, tenant_id: tenantId, message_id: m.id, event: e.event }))) return 'duplicates';
    const at = e.timestamp ? new Date(e.timestamp * 1000) : new Date();
    switch (e.event) {
      case 'delivered':
        await this.recipients.markDelivered(tenantId, m.recipient_id, at);
        break;
      case 'bounce':
      case 'dropped':
        await this.repo.setStatus(tenantId, m.id, 'bounced', `${e.event}${e.type ? ` (${e.type})` : ''}: ${e.reason ?? 'no reason given'}`.slice(0, 500));
        await this.sends.suppress(tenantId, m.to_email, 'bounced');
        break;
      case 'spamreport':
      case 'unsubscribe':
      case 'group_unsubscribe':
        await this.sends.suppress(tenantId, m.to_email, e.event === 'spamreport' ? 'spamreport' : 'unsubscribed');
        await this.recipients.markUnsubscribed(tenantId, m.recipient_id, at);
        break;
      case 'open':
        await this.repo.markEngagement(tenantId, m.id, 'provider_opened_at', at);
        break;
      case 'click':
        await this.repo.markEngagement(tenantId, m.id, 'provider_clicked_at', at);
        break;
      default:
        this.log.debug({ event: e.event }, 'SendGrid event recorded without effect');
    }
    return 'applied';
  }
}
