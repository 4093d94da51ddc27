import type { RecipientsService } from '../tracking/recipients.service';
import type { SendRepository } from './send.repository';
import type { UnsubscribeTokens } from './unsubscribe.tokens';

/** Unsubscribe links: a token names the recipient; unsubscribing suppresses the address for the whole tenant. */
export class UnsubscribeService {
  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly repo: SendRepository,
    private readonly recipients: RecipientsService,
  ) {}

  /** The recipient a token stands for, or null when the token is forged or the recipient is gone. */
  async lookup(token: string): Promise<{ tenantId: string; recipientId: string; email: string; unsubscribed: boolean } | null> {
    const ids = this.tokens.verify(token);
    if (!ids) return null;
    const r = await this.repo.recipientEmail(ids.tenantId, ids.recipientId);
    return r ? { ...ids, email: r.email, unsubscribed: r.unsubscribed_at !== null } : null;
  }

  /** Idempotent: false when the token is not valid. */
  async unsubscribe(token: string): Promise<boolean> {
    const r = await this.lookup(token);
    if (!r) return false;
    if (!r.unsubscribed) await this.recipients.markUnsubscribed(r.tenantId, r.recipientId);
    await this.repo.suppress(r.tenantId, r.email, 'unsubscribed');
    return true;
  }
}
