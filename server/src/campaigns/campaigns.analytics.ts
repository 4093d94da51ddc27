import type { CampaignAnalytics as CampaignAnalyticsDto } from '@mvs/shared/schemas/campaigns';
import { STAT_COLUMNS, watchSummary, zeroCounters, type Counters } from '../tracking/stats';
import { decideWinner } from './ab-stats';
import { abEnabled } from './campaign-texts';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';

const counters = (row: Record<string, unknown> | undefined): Counters => {
  const c = zeroCounters();
  if (row) for (const k of STAT_COLUMNS) c[k] = Number(row[k] ?? 0);
  return c;
};
const add = (a: Counters, b: Counters) => {
  for (const k of STAT_COLUMNS) a[k] += b[k];
  return a;
};
const machine = (c: Counters) => c.opens_machine + c.clicks_machine + c.machine_beacons;

/**
 * Campaign analytics from the tracking aggregates each recipient's own link already keeps (video_stats scope
 * r:<recipient>): nothing is counted twice and machine traffic stays apart, as for a single video.
 */
export class CampaignAnalyticsService {
  constructor(private readonly repo: CampaignsRepository) {}

  /** Per variant: recipients, delivered emails and recipients who played (for the A/B test), and the counters. */
  async variantResults(c: CampaignRow) {
    const [variants, stats, sizes] = await Promise.all([
      this.repo.variants(c.tenant_id, c.id),
      this.repo.statsByVariant(c.tenant_id, c.id),
      this.repo.recipientsByVariant(c.tenant_id, c.id),
    ]);
    const byVariant = new Map(stats.map((s) => [s.variant_id, s as unknown as Record<string, unknown>]));
    const size = new Map(sizes.map((s) => [s.variant_id, s]));
    return variants.map((v) => ({
      variant: v,
      recipients: Number(size.get(v.id)?.recipients ?? 0),
      sent: Number(size.get(v.id)?.sent ?? 0),
      players: Number(byVariant.get(v.id)?.players ?? 0),
      counters: counters(byVariant.get(v.id)),
    }));
  }

  /** The live A/B statistics (what the decision job would decide now). */
  async decision(c: CampaignRow) {
    if (!abEnabled(c.ab)) return null;
    const results = await this.variantResults(c);
    return decideWinner(
      results.map((r) => ({ id: r.variant.id, label: r.variant.label, delivered: r.counters.delivered, plays: r.players })),
      { minSample: c.ab.min_sample ?? 100, confidence: c.ab.confidence ?? 0.95 },
    );
  }

  async forCampaign(c: CampaignRow): Promise<CampaignAnalyticsDto> {
    const [results, sizes] = await Promise.all([this.variantResults(c), this.repo.recipientsByVariant(c.tenant_id, c.id)]);
    const total = results.reduce((acc, r) => add(acc, r.counters), zeroCounters());
    const ab = abEnabled(c.ab)
      ? decideWinner(results.map((r) => ({ id: r.variant.id, label: r.variant.label, delivered: r.counters.delivered, plays: r.players })), {
          minSample: c.ab.min_sample ?? 100,
          confidence: c.ab.confidence ?? 0.95,
        })
      : null;
    return {
      campaign_id: c.id,
      recipients: sizes.reduce((a, s) => a + Number(s.recipients), 0),
      sent: sizes.reduce((a, s) => a + Number(s.sent), 0),
      totals: { ...total, watch: watchSummary(total), human_play_rate: total.delivered ? results.reduce((a, r) => a + r.players, 0) / total.delivered : 0, machine_events: machine(total) },
      variants: results.map((r) => ({ variant_id: r.variant.id, label: r.variant.label, recipients: r.recipients, ...r.counters, watch: watchSummary(r.counters) })),
      ab,
    };
  }

  async recipients(c: CampaignRow, page: number, pageSize: number) {
    const [rows, total] = await Promise.all([this.repo.recipientStats(c.tenant_id, c.id, page, pageSize), this.repo.countRecipients(c.tenant_id, c.id, {})]);
    return {
      items: rows.map((r) => {
        const k = counters(r as unknown as Record<string, unknown>);
        return {
          recipient_id: r.id,
          email: r.email,
          name: [r.first_name, r.last_name].filter((s) => s && s.trim()).join(' ') || null,
          variant_label: r.variant_label,
          state: r.state,
          delivered_at: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
          ...k,
          watch: watchSummary(k),
        };
      }),
      total,
      page,
      page_size: pageSize,
    };
  }
}
