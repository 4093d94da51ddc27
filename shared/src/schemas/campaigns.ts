import { z } from '@hono/zod-openapi';
import { CounterRow } from './analytics';
import { Language, PageQuery, Uuid } from './common';
import { EmailClientName } from './email-send';
import { RendererName, SCRIPT_MAX_CHARS, VideoFormat } from './videos';

/** draft → rendering → review → scheduled → sending → sent; also paused, canceled, failed. */
export const CAMPAIGN_STATUSES = ['draft', 'rendering', 'review', 'scheduled', 'sending', 'sent', 'paused', 'canceled', 'failed'] as const;
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES).openapi('CampaignStatus');
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * One recipient's way through a campaign: pending (draft) | held (waits for the A/B winner) → queued → rendering →
 * rendered | render_failed → approved → sending → sent | send_failed | bounced; skipped (suppressed), canceled.
 */
export const RECIPIENT_STATES = [
  'pending', 'held', 'queued', 'rendering', 'rendered', 'render_failed', 'approved',
  'sending', 'sent', 'send_failed', 'bounced', 'skipped', 'canceled',
] as const;
export const RecipientState = z.enum(RECIPIENT_STATES).openapi('CampaignRecipientState');
export type RecipientState = z.infer<typeof RecipientState>;

export const VARIANT_LABELS = ['A', 'B', 'C', 'D'] as const;
export const MAX_VARIANTS = VARIANT_LABELS.length;

const Script = z.string().trim().min(1).max(SCRIPT_MAX_CHARS);
const Subject = z.string().trim().min(1).max(300);
const HttpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'use an http:// or https:// URL');

/** A/B variant: its own script, thumbnail and subject (each defaults to the campaign's), and a split weight. */
export const VariantInput = z
  .object({
    script: Script.optional().openapi({ description: "Defaults to the campaign's script; may hold variables" }),
    subject: Subject.optional().openapi({ description: "Defaults to the campaign's subject" }),
    thumbnail: z.enum(['auto', 'poster', 'gif']).default('auto').openapi({ description: "auto: the animated GIF where the mail client plays it, else the poster; poster: always the still; gif: always the GIF (Outlook shows its first frame)" }),
    weight: z.number().int().min(1).max(100).default(1).openapi({ description: 'Split ratio, relative to the other variants' }),
  })
  .openapi('CampaignVariantInput');

export const AbSettings = z
  .object({
    test_fraction: z.number().gt(0).max(1).default(1).openapi({
      description: 'Share of the list in the test; the rest waits for the winner (1 = the whole list is split between variants)',
    }),
    window_hours: z.number().min(0.0003).max(720).default(24).openapi({ description: 'How long after the test is sent the winner is decided' }),
    min_sample: z.number().int().min(1).max(1_000_000).default(100).openapi({ description: 'Delivered emails each variant needs before a winner can be named' }),
    confidence: z.number().min(0.5).max(0.999).default(0.95),
    send_winner_to_rest: z.boolean().default(false).openapi({
      description: 'After the window, render the winner (or variant A when no variant wins) for the rest of the list and send it',
    }),
  })
  .openapi('CampaignAbSettings');

/** The fields a campaign is made of (create takes them, PATCH takes any of them). */
const CampaignFields = {
  name: z.string().trim().min(1).max(200),
  avatar_id: Uuid,
  list_id: Uuid,
  script: Script.optional().openapi({ example: 'Hi {{first_name}}, thanks for visiting our booth. Here is the demo I promised.' }),
  template_id: Uuid.optional().openapi({ description: "Copies the template's script, subject, body and caption (fields given here win)" }),
  subject: Subject.optional().openapi({ example: 'A video for you, {{first_name}}' }),
  body: z.string().max(100_000).optional().openapi({ description: 'Plain-text email body; `{{video}}` marks where the video goes (else on top)' }),
  body_html: z.string().max(200_000).optional().openapi({ description: 'HTML body instead of `body` (variables are HTML-escaped)' }),
  poster_caption: z.string().trim().max(120).optional().openapi({ example: 'Hi {{first_name}} — a video for you' }),
  language: Language.optional(),
  renderer: RendererName.optional(),
  format: VideoFormat.optional(),
  cta_label: z.string().trim().max(80).optional(),
  cta_url: HttpUrl.optional(),
  email_client: EmailClientName.optional(),
  variants: z.array(VariantInput).min(1).max(MAX_VARIANTS).optional().openapi({ description: 'A/B test: up to 4 variants (A, B, C, D in order)' }),
  ab: AbSettings.optional(),
};

/** POST /api/v1/campaigns/: `script` or `template_id`; script, subject, body and caption may hold `{{variables}}`. */
export const CreateCampaignRequest = z
  .object(CampaignFields)
  .refine((b) => b.script !== undefined || b.template_id !== undefined, { message: 'give a script or a template_id', path: ['script'] })
  .openapi('CreateCampaignRequest');
export type CreateCampaignRequest = z.infer<typeof CreateCampaignRequest>;

/** A/B settings of a PATCH: only the fields given change (no defaults fill the others). */
const AbPatch = z
  .object({
    test_fraction: z.number().gt(0).max(1).optional(),
    window_hours: z.number().min(0.0003).max(720).optional(),
    min_sample: z.number().int().min(1).max(1_000_000).optional(),
    confidence: z.number().min(0.5).max(0.999).optional(),
    send_winner_to_rest: z.boolean().optional(),
  })
  .openapi('CampaignAbSettingsPatch');

/**
 * PATCH /api/v1/campaigns/{id} (drafts only): any field of the create body; the others keep their values.
 * `null` clears body_html, poster_caption, cta_label and cta_url. `variants` replaces the variants whole.
 */
export const UpdateCampaignRequest = z
  .object({
    ...CampaignFields,
    name: CampaignFields.name.optional(),
    avatar_id: Uuid.optional(),
    list_id: Uuid.optional(),
    body_html: z.string().max(200_000).nullable().optional().openapi({ description: 'HTML body instead of `body`; null clears it' }),
    poster_caption: z.string().trim().max(120).nullable().optional().openapi({ description: 'null clears it' }),
    cta_label: z.string().trim().max(80).nullable().optional().openapi({ description: 'null clears it' }),
    cta_url: HttpUrl.nullable().optional().openapi({ description: 'null clears it' }),
    ab: AbPatch.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' })
  .openapi('UpdateCampaignRequest');
export type UpdateCampaignRequest = z.infer<typeof UpdateCampaignRequest>;

export const RecipientCounts = z
  .object(Object.fromEntries(RECIPIENT_STATES.map((s) => [s, z.number().int()])) as Record<RecipientState, z.ZodNumber>)
  .extend({ total: z.number().int() })
  .openapi('CampaignRecipientCounts');
export type RecipientCounts = z.infer<typeof RecipientCounts>;

export const CampaignVariant = z
  .object({
    id: z.string().uuid(),
    label: z.string(),
    script: z.string(),
    subject: z.string(),
    thumbnail: z.enum(['auto', 'poster', 'gif']),
    weight: z.number().int(),
  })
  .openapi('CampaignVariant');

export const AbComparison = z.object({ variant_id: z.string().uuid(), against_id: z.string().uuid(), z: z.number(), p_value: z.number() });
export const AbDecision = z
  .object({
    status: z.enum(['winner', 'no_significant_difference', 'insufficient_data', 'single_variant']),
    leader_id: z.string().uuid().nullable(),
    winner_id: z.string().uuid().nullable(),
    p_value: z.number().nullable().openapi({ description: 'Bonferroni-adjusted p-value of the weakest comparison of the leader' }),
    confidence: z.number().nullable().openapi({ description: '1 − p_value' }),
    required_confidence: z.number(),
    min_sample: z.number().int(),
    comparisons: z.array(AbComparison),
    rates: z.array(z.object({ variant_id: z.string().uuid(), label: z.string(), delivered: z.number().int(), plays: z.number().int(), rate: z.number() })),
  })
  .openapi('AbDecision');

export const CampaignAb = AbSettings.extend({
  enabled: z.boolean(),
  phase: z.enum(['off', 'testing', 'waiting', 'decided']),
  decide_at: z.string().nullable(),
  /** Set once decided (by the window job); the live statistics are in GET /{id}/analytics. */
  decision: AbDecision.extend({ decided_at: z.string(), sent_to_rest: z.string().uuid().nullable() }).nullable(),
}).openapi('CampaignAbState');

export const Campaign = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    status: CampaignStatus,
    owner_id: z.string().uuid(),
    avatar_id: z.string().uuid(),
    list_id: z.string().uuid(),
    template_id: z.string().uuid().nullable(),
    language: z.string(),
    renderer: z.string(),
    format: z.string(),
    script: z.string(),
    subject: z.string(),
    body: z.string(),
    body_html: z.string().nullable(),
    poster_caption: z.string().nullable(),
    cta_label: z.string().nullable(),
    cta_url: z.string().nullable(),
    email_client: z.string(),
    send_at: z.string().nullable(),
    paused_from: CampaignStatus.nullable(),
    counts: RecipientCounts,
    variants: z.array(CampaignVariant),
    ab: CampaignAb,
    error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    render_started_at: z.string().nullable(),
    rendered_at: z.string().nullable(),
    send_started_at: z.string().nullable(),
    sent_at: z.string().nullable(),
  })
  .openapi('Campaign');
export type Campaign = z.infer<typeof Campaign>;

export const CampaignSummary = Campaign.omit({ variants: true, body: true, body_html: true, script: true }).openapi('CampaignSummary');
export const CampaignPage = z
  .object({ items: z.array(CampaignSummary), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
  .openapi('CampaignPage');
export const CampaignListQuery = PageQuery.extend({ status: CampaignStatus.optional() });

/** One recipient as the review screen shows it: who, what the avatar says to them, their poster and video. */
export const CampaignRecipient = z
  .object({
    id: z.string().uuid(),
    contact_id: z.string().uuid().nullable(),
    email: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    name: z.string().nullable(),
    company: z.string().nullable(),
    variant_id: z.string().uuid().nullable(),
    variant_label: z.string().nullable(),
    state: RecipientState,
    skip_reason: z.string().nullable(),
    transcript: z.string().nullable().openapi({ description: 'The personal script the avatar speaks' }),
    subject: z.string().nullable(),
    caption: z.string().nullable(),
    video_id: z.string().uuid().nullable(),
    video_status: z.string().nullable(),
    duration_sec: z.number().nullable(),
    video_url: z.string().nullable().openapi({ description: 'Signed, expiring file URL (for review; not tracked)' }),
    poster_url: z.string().nullable().openapi({ description: 'Signed, expiring file URL (for review; not tracked)' }),
    gif_url: z.string().nullable(),
    watch_url: z.string().nullable().openapi({ description: "The recipient's personal, tracked watch page" }),
    error: z.string().nullable(),
    error_code: z.string().nullable(),
    send_attempts: z.number().int(),
    message_id: z.string().uuid().nullable(),
    approved_at: z.string().nullable(),
    sent_at: z.string().nullable(),
  })
  .openapi('CampaignRecipient');
export type CampaignRecipient = z.infer<typeof CampaignRecipient>;

export const CampaignRecipientPage = z
  .object({
    items: z.array(CampaignRecipient),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
    sample: z.number().int().nullable().openapi({ description: 'Set when the rows are a random sample: how many rows it holds' }),
    sample_requested: z.number().int().nullable().optional().openapi({ description: 'The N asked for with `sample=N` (more than `sample` when fewer recipients match)' }),
    note: z.string().nullable().optional().openapi({ description: 'Says when the sample is smaller than asked for' }),
  })
  .openapi('CampaignRecipientPage');

const StateFilter = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (!s) return undefined;
    const states = s.split(',').map((x) => x.trim()).filter(Boolean);
    const bad = states.filter((x) => !(RECIPIENT_STATES as readonly string[]).includes(x));
    if (bad.length) {
      ctx.addIssue({ code: 'custom', message: `unknown state ${bad.join(', ')}; use ${RECIPIENT_STATES.join(', ')}` });
      return z.NEVER;
    }
    return states as RecipientState[];
  })
  .openapi({ description: 'One state or several, comma-separated (e.g. rendered,approved)', example: 'rendered' });

export const CampaignRecipientQuery = PageQuery.extend({
  state: StateFilter,
  variant_id: Uuid.optional(),
  sample: z.coerce
    .number({ error: 'give a whole number of rows from 1 to 100' })
    .int({ error: 'give a whole number of rows from 1 to 100' })
    .min(1, { error: 'give a whole number of rows from 1 to 100' })
    .max(100, { error: 'at most 100 rows at a time' })
    .optional()
    .openapi({ description: 'Spot-check: N random rows (of the filtered ones) instead of a page; fewer when fewer match (see `sample_requested`, `note`)' }),
});

export const ApproveRequest = z
  .object({ recipient_ids: z.array(Uuid).min(1).max(5000).optional().openapi({ description: 'Omit to approve every rendered recipient' }) })
  .openapi('ApproveCampaignRequest');
export const ApproveResponse = z
  .object({
    approved: z.number().int(),
    not_approvable: z.array(z.object({ id: z.string().uuid(), state: z.string() })).openapi({ description: 'Ids that were not rendered (or not in this campaign)' }),
    campaign: Campaign,
  })
  .openapi('ApproveCampaignResponse');

export const RerenderRequest = z
  .object({ script: Script.optional().openapi({ description: "An edited script for this recipient (variables are filled from the contact)" }) })
  .openapi('RerenderRecipientRequest');

export const SendCampaignRequest = z
  .object({ send_at: z.string().datetime({ offset: true }).optional().openapi({ description: 'Schedule for later; omit to send now', example: '2026-12-01T09:00:00+07:00' }) })
  .openapi('SendCampaignRequest');

/** Data of the SSE `counts` event on GET /{id}/events; `done` carries the Campaign when it is sent, canceled or failed. */
export const CampaignCountsEvent = z.object({ status: CampaignStatus, counts: RecipientCounts }).openapi('CampaignCountsEvent');

export const CampaignCounterRow = CounterRow;
export const CampaignVariantAnalytics = CounterRow.extend({ variant_id: z.string().uuid(), label: z.string(), recipients: z.number().int() });
export const CampaignAnalytics = z
  .object({
    campaign_id: z.string().uuid(),
    recipients: z.number().int(),
    sent: z.number().int(),
    totals: CounterRow.extend({
      human_play_rate: z.number().openapi({ description: 'Human plays per delivered email' }),
      machine_events: z.number().int().openapi({ description: 'Opens, clicks and player reports classified machine (counted apart)' }),
    }),
    variants: z.array(CampaignVariantAnalytics),
    ab: AbDecision.nullable(),
  })
  .openapi('CampaignAnalytics');
export type CampaignAnalytics = z.infer<typeof CampaignAnalytics>;

export const CampaignRecipientAnalytics = CounterRow.extend({
  recipient_id: z.string().uuid(),
  email: z.string(),
  name: z.string().nullable(),
  variant_label: z.string().nullable(),
  state: RecipientState,
  delivered_at: z.string().nullable(),
});
export const CampaignRecipientAnalyticsPage = z
  .object({ items: z.array(CampaignRecipientAnalytics), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
  .openapi('CampaignRecipientAnalyticsPage');

