import type { EmailClient } from '@mvs/shared/email/video-block';
import { videoBlockFor } from '../emails/video-email';
import { csvLine } from '../tracking/analytics.service';
import type { RecipientsService } from '../tracking/recipients.service';
import type { CampaignAnalyticsService } from './campaigns.analytics';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';

const PAGE = 500;

/** The PURL export's columns; the first six are the documented ones, any ESP can merge them. */
export const PURL_COLUMNS = ['email', 'first_name', 'watch_url', 'poster_url', 'gif_url', 'html_snippet', 'last_name', 'company', 'variant', 'subject'] as const;

/**
 * GET /{id}/export.csv: one line per recipient with a rendered video, their personal (tracked) watch,
 * poster and GIF links and the ready-made HTML block; streamed page by page (50,000 lines never sit in memory).
 */
export async function* purlCsv(repo: CampaignsRepository, links: Pick<RecipientsService, 'links'>, c: CampaignRow): AsyncGenerator<string> {
  yield csvLine([...PURL_COLUMNS]);
  let after = -1;
  for (;;) {
    const rows = await repo.exportPage(c.tenant_id, c.id, after, PAGE);
    if (!rows.length) return;
    after = rows.at(-1)!.position;
    let chunk = '';
    for (const r of rows) {
      const l = links.links(r.link_id, r.slug);
      const block = videoBlockFor({ video: r, links: l, client: c.email_client as EmailClient, thumbnail: r.thumbnail ?? 'auto' });
      chunk += csvLine([r.email, r.first_name ?? '', l.watchUrl, l.posterUrl, l.gifUrl, block.html, r.last_name ?? '', r.company ?? '', r.variant ?? '', r.subject ?? '']);
    }
    yield chunk;
  }
}

const ANALYTICS_COLUMNS = [
  'email', 'name', 'variant', 'state', 'delivered_at', 'delivered', 'opens_human', 'opens_machine', 'opens_unknown', 'clicks_human', 'clicks_machine',
  'clicks_unknown', 'plays', 'reached_25', 'reached_50', 'reached_75', 'reached_100', 'completions', 'cta_clicks', 'machine_beacons', 'average_watch_pct',
] as const;

/** GET /{id}/analytics.csv: one line per recipient, then one per variant and the total (machine events in their own columns). */
export async function* analyticsCsv(analytics: CampaignAnalyticsService, c: CampaignRow): AsyncGenerator<string> {
  yield csvLine([...ANALYTICS_COLUMNS]);
  for (let page = 1; ; page++) {
    const p = await analytics.recipients(c, page, 100);
    yield p.items
      .map((r) => csvLine([r.email, r.name ?? '', r.variant_label ?? '', r.state, r.delivered_at ?? '', ...ANALYTICS_COLUMNS.slice(5, -1).map((k) => r[k as 'plays']), r.watch.average_pct]))
      .join('');
    if (page * 100 >= p.total) break;
  }
  const a = await analytics.forCampaign(c);
  for (const v of a.variants) {
    yield csvLine([`(variant ${v.label})`, '', v.label, '', '', ...ANALYTICS_COLUMNS.slice(5, -1).map((k) => v[k as 'plays']), v.watch.average_pct]);
  }
  yield csvLine(['(total)', '', '', '', '', ...ANALYTICS_COLUMNS.slice(5, -1).map((k) => a.totals[k as 'plays']), a.totals.watch.average_pct]);
}
