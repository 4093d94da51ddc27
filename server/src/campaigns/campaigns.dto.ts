import { AbSettings, RECIPIENT_STATES, type Campaign, type CampaignRecipient, type RecipientCounts } from '@mvs/shared/schemas/campaigns';
import type { Storage } from '../storage/storage';
import { SIGNED_URL_SECONDS } from '../videos/videos.dto';
import { abEnabled } from './campaign-texts';
import type { CampaignRow, CampaignsRepository, VariantRow } from './campaigns.repository';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function countsDto(m: Map<string, number> | undefined): RecipientCounts {
  const out = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, m?.get(s) ?? 0])) as RecipientCounts;
  out.total = RECIPIENT_STATES.reduce((a, s) => a + out[s], 0);
  return out;
}

function abDto(c: CampaignRow): Campaign['ab'] {
  const ab = c.ab ?? {};
  const settings = AbSettings.parse({ ...ab, decide_at: undefined, decision: undefined });
  const enabled = abEnabled(ab);
  const phase = !enabled ? 'off' : ab.decision ? 'decided' : ab.decide_at ? 'waiting' : 'testing';
  return { ...settings, enabled, phase, decide_at: ab.decide_at ?? null, decision: (ab.decision as Campaign['ab']['decision']) ?? null };
}

/** The public JSON of a campaign with its counts per recipient state. */
export function toCampaignDto(c: CampaignRow, variants: VariantRow[], counts: Map<string, number> | undefined): Campaign {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    owner_id: c.owner_id,
    avatar_id: c.avatar_id,
    list_id: c.list_id,
    template_id: c.template_id,
    language: c.language,
    renderer: c.renderer,
    format: c.format,
    script: variants[0]?.script ?? '',
    subject: c.subject,
    body: c.body,
    body_html: c.body_html,
    poster_caption: c.poster_caption,
    cta_label: c.cta_label,
    cta_url: c.cta_url,
    email_client: c.email_client,
    send_at: iso(c.send_at),
    paused_from: c.paused_from,
    counts: countsDto(counts),
    variants: variants.map((v) => ({ id: v.id, label: v.label, script: v.script, subject: v.subject, thumbnail: v.thumbnail, weight: v.weight })),
    ab: abDto(c),
    error: c.error,
    created_at: c.created_at.toISOString(),
    updated_at: iso(c.updated_at) ?? c.created_at.toISOString(),
    render_started_at: iso(c.render_started_at),
    rendered_at: iso(c.rendered_at),
    send_started_at: iso(c.send_started_at),
    sent_at: iso(c.sent_at),
  };
}

/** One campaign fully (variants and counts read here). */
export async function campaignDto(repo: CampaignsRepository, c: CampaignRow): Promise<Campaign> {
  const [variants, counts] = await Promise.all([repo.variants(c.tenant_id, c.id), repo.counts(c.tenant_id, [c.id])]);
  return toCampaignDto(c, variants, counts.get(c.id));
}

export type RecipientViewRow = Awaited<ReturnType<CampaignsRepository['recipients']>>[number];

/** Review rows: signed (untracked) file URLs for the reviewer, and the recipient's own tracked watch page. */
export async function toRecipientDtos(rows: RecipientViewRow[], storage: Storage, publicUrl: string): Promise<CampaignRecipient[]> {
  const base = publicUrl.replace(/\/$/, '');
  const sign = (key: string | null) => (key ? storage.signedUrl(key, SIGNED_URL_SECONDS) : Promise.resolve(null));
  return Promise.all(
    rows.map(async (r) => {
      const done = r.video_status === 'completed';
      const [video_url, poster_url, gif_url] = await Promise.all([sign(done ? r.video_key : null), sign(done ? r.poster_key : null), sign(done ? r.gif_key : null)]);
      return {
        id: r.id,
        contact_id: r.contact_id,
        email: r.email,
        first_name: r.first_name,
        last_name: r.last_name,
        name: [r.first_name, r.last_name].filter((s) => s && s.trim()).join(' ') || null,
        company: r.company,
        variant_id: r.variant_id,
        variant_label: r.variant_label,
        state: r.state === 'sent' && r.message_status === 'bounced' ? 'bounced' : r.state,
        skip_reason: r.skip_reason,
        transcript: r.script,
        subject: r.subject,
        caption: r.caption,
        video_id: r.video_id,
        video_status: r.video_status,
        duration_sec: r.duration_sec,
        video_url,
        poster_url,
        gif_url,
        watch_url: r.recipient_slug ? `${base}/v/${r.recipient_slug}` : null,
        error: r.error,
        error_code: r.error_code,
        send_attempts: r.send_attempts,
        message_id: r.message_id,
        approved_at: iso(r.approved_at),
        sent_at: iso(r.sent_at),
      };
    }),
  );
}
