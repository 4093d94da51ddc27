import type { EventSink } from '../emails/send.service';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { abEnabled, personalTexts } from './campaign-texts';
import type { CampaignAnalyticsService } from './campaigns.analytics';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';

const BATCH = 500;

/**
 * The A/B window: scheduled when the test group has been sent; when it ends, the winner is decided on human
 * plays per delivered email (see ab-stats.ts) and, when the campaign asks for it, the rest of the list gets
 * the winner — or variant A when no variant won significantly (the control stays when the test is inconclusive).
 */
export class CampaignAb {
  constructor(private readonly d: { repo: CampaignsRepository; analytics: CampaignAnalyticsService; queue: JobQueue; events: EventSink; log: Logger }) {}

  async schedule(c: CampaignRow): Promise<void> {
    const decideAt = new Date(Date.now() + (c.ab.window_hours ?? 24) * 3600_000);
    // The window's end and the job that decides at it commit together.
    await this.d.queue.transaction(async (tx) => {
      await this.d.repo.update(c.tenant_id, c.id, { ab: JSON.stringify({ ...c.ab, decide_at: decideAt.toISOString() }) }, tx.db);
      await tx.send('campaign-ab-decide', { tenantId: c.tenant_id, campaignId: c.id }, { startAfter: decideAt });
    });
    this.d.log.info({ campaignId: c.id, decideAt }, 'A/B decision scheduled');
  }

  async decide(tenantId: string, campaignId: string): Promise<'success' | 'skipped'> {
    const c = await this.d.repo.get(tenantId, campaignId);
    if (!c || !abEnabled(c.ab) || c.ab.decision || !c.ab.decide_at) return 'skipped';
    const at = new Date(c.ab.decide_at);
    if (at.getTime() > Date.now() + 1000) {
      await this.d.queue.send('campaign-ab-decide', { tenantId, campaignId }, { startAfter: at });
      return 'skipped';
    }
    const decision = (await this.d.analytics.decision(c))!;
    const variants = await this.d.repo.variants(tenantId, campaignId);
    const winner = variants.find((v) => v.id === decision.winner_id) ?? variants[0]!;
    const held = await this.d.repo.countRecipients(tenantId, campaignId, { states: ['held'] });
    const toRest = !!c.ab.send_winner_to_rest && held > 0 && (c.status === 'sending' || c.status === 'sent');
    const record = { ...decision, decided_at: new Date().toISOString(), sent_to_rest: toRest ? winner.id : null };
    // The decision, the rest of the list handed to the winner and the fan-out that renders it commit together: a
    // failure on the way leaves no decision recorded, and the job's retry decides again.
    await this.d.queue.transaction(async (tx) => {
      await this.d.repo.update(tenantId, campaignId, { ab: JSON.stringify({ ...c.ab, decision: record }), winner_variant_id: decision.winner_id }, tx.db);
      if (!toRest) return;
      let after = -1;
      for (;;) {
        const batch = await this.d.repo.recipientsInState(tenantId, campaignId, ['held'], after, BATCH, tx.db);
        if (!batch.length) break;
        after = batch.at(-1)!.position;
        await this.d.repo.releaseHeld(tenantId, campaignId, winner.id, batch.map((r) => ({ id: r.id, ...personalTexts(winner, c.poster_caption, r.values) })), tx.db);
      }
      await this.d.repo.transition(tenantId, campaignId, ['sent'], { status: 'sending' }, tx.db);
      await tx.send('campaign-fanout', { tenantId, campaignId });
    });
    await this.d.events.emit(tenantId, 'campaign.ab_decided', {
      campaign_id: campaignId, status: decision.status, winner_variant_id: decision.winner_id, winner_label: decision.winner_id ? winner.label : null,
      p_value: decision.p_value, confidence: decision.confidence, sent_to_rest: toRest ? winner.label : null,
    });
    this.d.log.info({ campaignId, status: decision.status, winner: winner.label, toRest }, 'A/B test decided');
    return 'success';
  }
}
