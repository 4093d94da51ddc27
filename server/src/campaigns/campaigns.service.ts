import { randomUUID } from 'node:crypto';
import { MAX_VARIANTS, VARIANT_LABELS, type CreateCampaignRequest, type UpdateCampaignRequest } from '@mvs/shared/schemas/campaigns';
import type { Kysely, Transaction } from 'kysely';
import { SCRIPT_MAX_CHARS } from '@mvs/shared/schemas/videos';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import { templateValuesFor } from '../contacts/template-values';
import type { ContactsRepository } from '../contacts/contacts.repository';
import type { DB } from '../db/types';
import type { CampaignAbSettings, CampaignStatus, RecipientState } from '../db/tables/campaigns';
import type { EventSink } from '../emails/send.service';
import { AppError, forbidden, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import type { TemplatesRepository } from '../templates/templates.repository';
import { assertAvatarCanRender } from '../videos/avatar-check';
import { detectLanguage } from '../videos/language';
import { pickRenderer } from '../videos/renderer-choice';
import type { VideosRepository } from '../videos/videos.repository';
import type { VideosService } from '../videos/videos.service';
import { assignVariants, missingFor, personalTexts, requiredNames, type CampaignTexts } from './campaign-texts';
import { segmentsFor } from './campaign-renderer';
import type { CampaignAnalyticsService } from './campaigns.analytics';
import type { CampaignRow, CampaignsRepository, RecipientFilter } from './campaigns.repository';

const PAGE = 1000;
const INSERT_BATCH = 400;
/** How many affected contacts a 422 lists (the total is always given). */
const LIST_AT_MOST = 100;

export interface CampaignsDeps {
  repo: CampaignsRepository;
  contacts: ContactsRepository;
  templates: TemplatesRepository;
  videosRepo: VideosRepository;
  videos: VideosService;
  queue: JobQueue;
  audit: AuditRepository;
  events: EventSink;
  config: Config;
  log: Logger;
  /** Results of a campaign (kept in the audit record of a deleted one). */
  analytics?: CampaignAnalyticsService;
  /** Told of each video a campaign deletion removed (the watch page's cache forgets it at once). */
  videoRemoved?: (videoId: string) => void;
}

/** What each action may start from. */
const FROM: Record<'update' | 'delete' | 'render' | 'approve' | 'rerender' | 'send' | 'pause' | 'resume' | 'cancel', CampaignStatus[]> = {
  update: ['draft'],
  delete: ['draft', 'review', 'canceled', 'sent', 'failed'],
  render: ['draft'],
  approve: ['rendering', 'review', 'scheduled', 'sending', 'sent', 'paused'],
  rerender: ['rendering', 'review', 'scheduled', 'sending', 'sent', 'paused'],
  send: ['review', 'sent'],
  pause: ['rendering', 'scheduled', 'sending'],
  resume: ['paused'],
  cancel: ['draft', 'rendering', 'review', 'scheduled', 'sending', 'paused'],
};
/** 409 for a campaign that is still working: it has to be canceled (or finish) first. */
const notDeletable = (c: CampaignRow) =>
  new AppError(
    409,
    'campaign_in_progress',
    `Campaign ${c.id} is ${c.status}; cancel it first (POST /api/v1/campaigns/${c.id}/cancel), then delete it. Campaigns can be deleted when ${FROM.delete.join(', ')}`,
    { status: c.status, deletable_when: FROM.delete },
  );
/** The A/B settings stored with a campaign, without its decision state. */
const abSettingsOf = (ab: CampaignAbSettings): CampaignInput['ab'] => {
  const { decide_at: _d, decision: _x, ...settings } = ab ?? {};
  return settings;
};
/** Create's body, or an edit merged over a campaign (where null clears a text). */
type CampaignInput = Omit<CreateCampaignRequest, 'body_html' | 'poster_caption' | 'cta_label' | 'cta_url' | 'ab' | 'variants'> & {
  body_html?: string | null;
  poster_caption?: string | null;
  cta_label?: string | null;
  cta_url?: string | null;
  ab?: Partial<NonNullable<CreateCampaignRequest['ab']>>;
  variants?: { script?: string; subject?: string; thumbnail?: 'auto' | 'poster' | 'gif'; weight?: number }[];
};
/** How many recipients' files are deleted at once when a campaign goes. */
const DELETE_CONCURRENCY = 16;
const invalidState = (c: CampaignRow, verb: string, from: CampaignStatus[]) =>
  new AppError(409, 'invalid_state', `Campaign ${c.id} is ${c.status}; it can ${verb} only when ${from.join(', ')}`);

/**
 * Campaign rules: creation (texts, variables every contact has, A/B split, a snapshot of the list), the
 * lifecycle draft → rendering → review → scheduled → sending → sent (paused, canceled, failed), review
 * actions and visibility (admins and viewers see the workspace's campaigns, users their own).
 */
export class CampaignsService {
  constructor(private readonly d: CampaignsDeps) {}

  private assertWriter(p: Principal) {
    if (p.role === 'viewer') throw forbidden('Viewers may not change campaigns; ask an admin for the user role');
  }

  async get(p: Principal, id: string): Promise<CampaignRow> {
    const c = await this.d.repo.get(p.tenantId, id);
    if (!c || (p.role === 'user' && c.owner_id !== p.userId)) throw notFound('Campaign', id);
    return c;
  }

  async list(p: Principal, q: { page: number; page_size: number; status?: CampaignStatus }) {
    const f = { ownerId: p.role === 'user' ? p.userId : undefined, status: q.status };
    const [items, total] = await Promise.all([this.d.repo.list(p.tenantId, f, q.page, q.page_size), this.d.repo.count(p.tenantId, f)]);
    return { items, total, page: q.page, page_size: q.page_size };
  }

  async create(p: Principal, input: CreateCampaignRequest): Promise<CampaignRow> {
    this.assertWriter(p);
    const campaignId = randomUUID();
    const plan = await this.plan(p, input, campaignId);
    const row = await this.d.repo.transaction(async (trx) => {
      const c = await this.d.repo.insertCampaign({ id: campaignId, tenant_id: p.tenantId, owner_id: p.userId, ...plan.fields, updated_at: new Date() }, trx);
      await this.d.repo.insertVariants(plan.variants.map((v, i) => ({ tenant_id: p.tenantId, campaign_id: c.id, ...v, position: i })), trx);
      return c;
    });
    // Pass 2: the snapshot of the list, in batches (a 50,000-contact list never sits in one transaction).
    try {
      await this.snapshot(p.tenantId, row.id, plan);
    } catch (err) {
      await this.d.repo.deleteCampaign(p.tenantId, row.id);
      throw err;
    }
    await this.d.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'campaign.created', targetType: 'campaign', targetId: row.id, details: { list_id: plan.listId, recipients: plan.sendable } });
    return row;
  }

  /**
   * Checks a campaign's input the one way create and edit share: the template, texts, avatar, list, variants,
   * every variable each contact that may be emailed needs (422 missing_variables naming them), script lengths,
   * and computes the A/B split on the contacts' ids.
   */
  private async plan(p: Principal, input: CampaignInput, campaignId: string) {
    const template = input.template_id ? await this.d.templates.get(p.tenantId, input.template_id) : undefined;
    if (input.template_id && !template) throw notFound('Template', input.template_id);
    const script = (input.script ?? template?.script ?? '').trim();
    const subject = (input.subject ?? template?.subject ?? '').trim();
    if (!script) throw new AppError(422, 'script_empty', 'script: write what the avatar should say (or give a template_id)');
    if (!subject) throw new AppError(422, 'validation_failed', 'subject: give the email subject (or a template_id with one)');
    const avatar = await this.d.videosRepo.findAvatar(p.tenantId, input.avatar_id);
    if (!avatar) throw notFound('Avatar', input.avatar_id);
    assertAvatarCanRender(avatar);
    const renderer = pickRenderer(avatar, input.renderer, this.d.config);
    const list = await this.d.contacts.getList(p.tenantId, input.list_id);
    if (!list) throw notFound('List', input.list_id);

    const variantInputs = input.variants ?? [{ thumbnail: 'auto' as const, weight: 1 }];
    if (variantInputs.length > MAX_VARIANTS) throw new AppError(422, 'validation_failed', `variants: at most ${MAX_VARIANTS}`);
    const variants = variantInputs.map((v, i) => ({
      label: VARIANT_LABELS[i]!,
      script: (v.script ?? script).trim(),
      subject: (v.subject ?? subject).trim(),
      thumbnail: v.thumbnail ?? 'auto',
      weight: v.weight ?? 1,
    }));
    const texts: CampaignTexts = {
      variants,
      body: input.body ?? template?.body ?? '',
      bodyHtml: input.body_html ?? null,
      caption: input.poster_caption !== undefined ? input.poster_caption : (template?.poster_caption ?? null),
    };
    const abOn = variants.length > 1;
    const ab: CampaignAbSettings = abOn
      ? { test_fraction: 1, window_hours: 24, min_sample: 100, confidence: 0.95, send_winner_to_rest: false, ...input.ab, decide_at: null, decision: null }
      : {};

    // Pass 1: every contact that may be emailed has what the texts need; the split is computed on their ids.
    const required = requiredNames(texts);
    const affected: { contact_id: string; email: string; missing: string[] }[] = [];
    const tooLong: { contact_id: string; email: string; length: number }[] = [];
    let affectedTotal = 0;
    const sendable: string[] = [];
    let members = 0;
    await this.eachMember(p.tenantId, list.id, (c) => {
      members++;
      if (c.suppressed) return;
      sendable.push(c.id);
      const values = templateValuesFor(c);
      const missing = missingFor(required, values);
      if (missing.length) {
        affectedTotal++;
        if (affected.length < LIST_AT_MOST) affected.push({ contact_id: c.id, email: c.email, missing });
        return;
      }
      for (const v of variants) {
        const length = personalTexts(v, null, values).script.length;
        if (length > SCRIPT_MAX_CHARS) {
          if (tooLong.length < LIST_AT_MOST) tooLong.push({ contact_id: c.id, email: c.email, length });
          break;
        }
      }
    });
    if (affectedTotal) {
      const names = [...new Set(affected.flatMap((a) => a.missing))];
      throw new AppError(
        422,
        'missing_variables',
        `${affectedTotal} contact(s) of the list have no value for ${names.map((n) => `{{${n}}}`).join(', ')}; fill them in, or give a fallback such as {{${names[0]}|there}}`,
        { variables: names, affected_total: affectedTotal, contacts: affected },
      );
    }
    if (tooLong.length) {
      throw new AppError(422, 'script_too_long', `The script is longer than ${SCRIPT_MAX_CHARS} characters for ${tooLong.length} contact(s) once filled in; shorten it`, { contacts: tooLong });
    }
    if (!sendable.length) {
      throw new AppError(422, 'list_empty', members ? `Every contact of list "${list.name}" is unsubscribed or bounced` : `List "${list.name}" has no contacts yet; import some first`);
    }
    const assignment = assignVariants(campaignId, sendable, variants.map((v) => v.weight), abOn ? (ab.test_fraction ?? 1) : 1);
    return {
      listId: list.id,
      sendable: sendable.length,
      variants,
      texts,
      assignment,
      fields: {
        name: input.name, avatar_id: avatar.id, list_id: list.id, template_id: template?.id ?? null,
        language: input.language ?? template?.language ?? detectLanguage(script), renderer, format: input.format ?? 'portrait', subject, body: texts.body,
        body_html: texts.bodyHtml, poster_caption: texts.caption, cta_label: input.cta_label ?? null, cta_url: input.cta_url ?? null,
        email_client: input.email_client ?? 'generic', ab: JSON.stringify(ab),
      },
    };
  }

  /** Writes the recipients of a planned campaign (a snapshot of its list), in batches; with `trx`, inside it. */
  private async snapshot(tenantId: string, campaignId: string, plan: Awaited<ReturnType<CampaignsService['plan']>>, trx?: Transaction<DB>) {
    const variantRows = await this.d.repo.variants(tenantId, campaignId, trx);
    let position = 0;
    let batch: Parameters<CampaignsRepository['insertRecipients']>[0] = [];
    await this.eachMember(tenantId, plan.listId, async (c) => {
      const values = templateValuesFor(c);
      const index = c.suppressed ? undefined : plan.assignment.get(c.id);
      const variant = index === undefined || index === null ? null : variantRows[index]!;
      const personal = variant ? personalTexts(variant, plan.texts.caption, values) : null;
      const state: RecipientState = c.suppressed ? 'skipped' : variant ? 'pending' : 'held';
      batch.push({
        tenant_id: tenantId, campaign_id: campaignId, variant_id: variant?.id ?? null, contact_id: c.id, position: position++, email: c.email,
        first_name: c.first_name, last_name: c.last_name, company: c.company, pronunciation: c.pronunciation,
        values: JSON.stringify(values),
        script: personal?.script ?? null, subject: personal?.subject ?? null, caption: personal?.caption ?? null,
        state, skip_reason: c.suppressed ?? null, updated_at: new Date(),
      });
      if (batch.length >= INSERT_BATCH) {
        await this.d.repo.insertRecipients(batch, trx);
        batch = [];
      }
    }, trx);
    await this.d.repo.insertRecipients(batch, trx);
  }

  /**
   * Edits a draft: the patch over the campaign's current values is checked exactly like a new campaign, then
   * the campaign, its variants and its recipients (the list is read again) are replaced in one transaction.
   * Variants that used the campaign's script or subject follow a new one unless `variants` is given.
   */
  async update(p: Principal, id: string, patch: UpdateCampaignRequest): Promise<CampaignRow> {
    const c = await this.change(p, id, 'update', 'be edited');
    const current = await this.d.repo.variants(p.tenantId, id);
    const oldScript = current[0]?.script ?? '';
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as UpdateCampaignRequest;
    const retext = defined.template_id !== undefined || defined.script !== undefined;
    const base: CampaignInput = {
      name: c.name, avatar_id: c.avatar_id, list_id: c.list_id, renderer: c.renderer as CampaignInput['renderer'], format: c.format as CampaignInput['format'],
      email_client: c.email_client as CampaignInput['email_client'], cta_label: c.cta_label, cta_url: c.cta_url, body_html: c.body_html,
      // A new template brings its own texts and language (fields given in the patch still win).
      // Without one the campaign's own texts are the base (its template may have been deleted since).
      ...(defined.template_id !== undefined ? {} : { script: oldScript, subject: c.subject, body: c.body, poster_caption: c.poster_caption }),
      ...(retext ? {} : { language: c.language as CampaignInput['language'] }),
      variants: current.map((v) => ({
        script: v.script === oldScript ? undefined : v.script,
        subject: v.subject === c.subject ? undefined : v.subject,
        thumbnail: v.thumbnail,
        weight: v.weight,
      })),
      ab: { ...abSettingsOf(c.ab), ...defined.ab },
    };
    const { ab: _ab, ...rest } = defined;
    const input: CampaignInput = { ...base, ...rest, ab: base.ab };
    const plan = await this.plan(p, input, id);
    if (defined.template_id === undefined) plan.fields.template_id = c.template_id; // still made from the template it was made from
    const row = await this.d.repo.transaction(async (trx) => {
      const updated = await this.d.repo.transition(p.tenantId, id, FROM.update, plan.fields, trx);
      if (!updated) throw invalidState(c, 'be edited', FROM.update);
      await this.d.repo.deleteRecipientsAndVariants(p.tenantId, id, trx);
      await this.d.repo.insertVariants(plan.variants.map((v, i) => ({ tenant_id: p.tenantId, campaign_id: id, ...v, position: i })), trx);
      await this.snapshot(p.tenantId, id, plan, trx);
      await this.d.audit.record(
        { tenantId: p.tenantId, userId: p.userId, action: 'campaign.updated', targetType: 'campaign', targetId: id, details: { fields: Object.keys(defined).sort(), recipients: plan.sendable }, ipHash: p.ipHash },
        trx,
      );
      return updated;
    });
    return row;
  }

  /**
   * Deletes a campaign that is not running (draft, review, canceled, sent, failed): its variants and recipients,
   * and its recipients' videos — the rows are soft-deleted (their watch pages answer 410) and the stored video,
   * poster and GIF files removed. The audit record keeps the counts and, for a campaign that sent mail, the
   * final analytics. Messages already delivered and the unsubscribes and bounces they brought stay.
   */
  async remove(p: Principal, id: string): Promise<void> {
    this.assertWriter(p);
    const c = await this.get(p, id);
    if (!FROM.delete.includes(c.status)) throw notDeletable(c);
    const counts = Object.fromEntries((await this.d.repo.counts(p.tenantId, [id])).get(id) ?? []);
    const analytics = c.send_started_at ? await this.analyticsSummary(c) : null;
    const videos = await this.d.repo.transaction(async (trx) => {
      const locked = await this.d.repo.lockForDelete(p.tenantId, id, FROM.delete, trx);
      if (!locked) {
        const now = await this.d.repo.get(p.tenantId, id);
        if (!now) throw notFound('Campaign', id);
        throw notDeletable(now);
      }
      const gone = await this.d.repo.softDeleteVideos(p.tenantId, id, trx);
      await this.d.repo.deleteCampaign(p.tenantId, id, trx);
      await this.d.audit.record(
        {
          tenantId: p.tenantId, userId: p.userId, action: 'campaign.deleted', targetType: 'campaign', targetId: id, ipHash: p.ipHash,
          details: { name: c.name, status: c.status, list_id: c.list_id, counts, videos_deleted: gone.length, analytics },
        },
        trx,
      );
      return gone;
    });
    // The files go once the rows that point at them are gone (a failed commit leaves both in place).
    for (let i = 0; i < videos.length; i += DELETE_CONCURRENCY) {
      await Promise.all(videos.slice(i, i + DELETE_CONCURRENCY).map((v) => this.d.videos.deleteObjects(v)));
    }
    for (const v of videos) this.d.videoRemoved?.(v.id);
    this.d.log.info({ campaignId: id, status: c.status, videos: videos.length }, 'campaign deleted');
  }

  /** What the audit record of a deleted campaign keeps of its results. */
  private async analyticsSummary(c: CampaignRow) {
    if (!this.d.analytics) return null;
    const a = await this.d.analytics.forCampaign(c);
    const pick = (r: { delivered: number; opens_human: number; plays: number; clicks_human: number; cta_clicks: number }) => ({
      delivered: r.delivered, human_opens: r.opens_human, human_plays: r.plays, human_clicks: r.clicks_human, cta_clicks: r.cta_clicks,
    });
    return {
      recipients: a.recipients, sent: a.sent, totals: { ...pick(a.totals), human_play_rate: a.totals.human_play_rate },
      variants: a.variants.map((v) => ({ label: v.label, recipients: v.recipients, ...pick(v) })),
      ab: a.ab ? { status: a.ab.status, winner_id: a.ab.winner_id, p_value: a.ab.p_value } : null,
    };
  }

  /** Walks a list's members in keyset pages (no list is ever held in memory whole). */
  private async eachMember(tenantId: string, listId: string, fn: (c: Awaited<ReturnType<ContactsRepository['listMembers']>>[number]) => void | Promise<void>, trx?: Transaction<DB>) {
    let after: string | null = null;
    for (;;) {
      const page = await this.d.contacts.listMembers(tenantId, listId, { afterId: after, limit: PAGE }, trx);
      for (const c of page) await fn(c);
      if (page.length < PAGE) return;
      after = page.at(-1)!.id;
    }
  }

  private async change(p: Principal, id: string, action: keyof typeof FROM, verb: string): Promise<CampaignRow> {
    this.assertWriter(p);
    const c = await this.get(p, id);
    if (!FROM[action].includes(c.status)) throw invalidState(c, verb, FROM[action]);
    return c;
  }

  private audit(p: Principal, action: string, id: string, details?: Record<string, unknown>, trx?: Kysely<DB>) {
    return this.d.audit.record({ tenantId: p.tenantId, userId: p.userId, action: `campaign.${action}`, targetType: 'campaign', targetId: id, details, ipHash: p.ipHash }, trx);
  }

  /**
   * draft → rendering; the fan-out job creates the recipients' videos and render jobs. The status, the job and
   * the audit record commit together (a database that goes away between them cannot leave a campaign
   * 'rendering' with nothing to render it).
   */
  async render(p: Principal, id: string): Promise<CampaignRow> {
    const c = await this.change(p, id, 'render', 'be rendered');
    return this.d.queue.transaction(async (tx) => {
      const row = await this.d.repo.transition(p.tenantId, id, FROM.render, { status: 'rendering', render_started_at: new Date() }, tx.db);
      if (!row) throw invalidState(c, 'be rendered', FROM.render);
      await tx.send('campaign-fanout', { tenantId: p.tenantId, campaignId: id });
      await this.audit(p, 'render', id, undefined, tx.db);
      return row;
    });
  }

  /** Approves every rendered recipient, or the given ones; says which of those could not be approved. */
  async approve(p: Principal, id: string, ids?: string[]) {
    const c = await this.change(p, id, 'approve', 'approve recipients');
    // Approved recipients of a campaign that is sending and the send slice that picks them up commit together.
    const moved = await this.d.queue.transaction(async (tx) => {
      const m = await this.d.repo.moveRecipients(p.tenantId, id, ['rendered'], { state: 'approved', approved_at: new Date() }, ids, tx.db);
      if (m.length && c.status === 'sending') await tx.send('campaign-send', { tenantId: p.tenantId, campaignId: id });
      await this.audit(p, 'approve', id, { approved: m.length }, tx.db);
      return m;
    });
    const done = new Set(moved);
    const rest = ids ? ids.filter((x) => !done.has(x)) : [];
    const states = await this.d.repo.statesOf(p.tenantId, id, rest);
    return { approved: moved.length, not_approvable: rest.map((x) => ({ id: x, state: states.get(x) ?? 'not_in_campaign' })) };
  }

  /** Renders one recipient again (optionally with an edited script); the recipient needs approval again. */
  async rerender(p: Principal, id: string, recipientId: string, script?: string) {
    const c = await this.change(p, id, 'rerender', 're-render recipients');
    const r = await this.d.repo.getRecipient(p.tenantId, id, recipientId);
    if (!r) throw notFound('Recipient', recipientId);
    if (!['rendered', 'approved', 'render_failed'].includes(r.state) || !r.video_id) {
      throw new AppError(409, 'invalid_state', `Recipient ${recipientId} is ${r.state}; only rendered, approved or failed recipients can be re-rendered`);
    }
    let text = r.script ?? '';
    if (script !== undefined) {
      const values = r.values as Record<string, string>;
      const missing = missingFor(requiredNames({ variants: [{ script, subject: '' }], body: '', bodyHtml: null, caption: null }), values);
      if (missing.length) {
        throw new AppError(422, 'missing_variables', `This contact has no value for ${missing.map((n) => `{{${n}}}`).join(', ')}`, {
          variables: missing, affected_total: 1, contacts: [{ contact_id: r.contact_id, email: r.email, missing }],
        });
      }
      text = personalTexts({ script, subject: '' }, null, values).script;
      if (!text) throw new AppError(422, 'script_empty', 'script: write what the avatar should say');
      if (text.length > SCRIPT_MAX_CHARS) throw new AppError(422, 'script_too_long', `script: ${text.length} characters; shorten it to at most ${SCRIPT_MAX_CHARS}`);
    }
    const old = await this.d.videosRepo.get(p.tenantId, r.video_id);
    // An edited script gets its own split (or a whole render when it has no shared part).
    const options = { ...((old?.options ?? {}) as Record<string, unknown>) };
    if (script !== undefined) {
      const segments = segmentsFor(script, r.values as Record<string, string>);
      if (segments) options.segments = segments;
      else delete options.segments;
    }
    // The video back in the queue, the recipient queued, its render job and the audit record commit together; the
    // old files go only after that (a failed commit leaves the recipient with the video it had).
    const row = await this.d.queue.transaction(async (tx) => {
      const video = await this.d.repo.requeueVideo(p.tenantId, r.video_id!, { script: text, options: JSON.stringify(options) }, tx.db);
      if (!video) throw new AppError(409, 'invalid_state', `Recipient ${recipientId}: its video is being rendered already`);
      const queued = await this.d.repo.setRecipient(p.tenantId, recipientId, ['rendered', 'approved', 'render_failed'], {
        state: 'queued', script: text, approved_at: null, error: null, error_code: null,
      }, tx.db);
      if (!queued) throw new AppError(409, 'invalid_state', `Recipient ${recipientId} changed meanwhile; reload and try again`);
      await tx.send('render-campaign', { tenantId: p.tenantId, campaignId: c.id, recipientId, videoId: video.id });
      await this.audit(p, 'rerender', id, { recipient_id: recipientId, edited: script !== undefined }, tx.db);
      return queued;
    });
    if (old) await this.d.videos.deleteObjects(old);
    return row;
  }

  /** Sends the approved recipients now, or schedules it (`send_at`). Unapproved ones are not sent. */
  async send(p: Principal, id: string, sendAt?: Date): Promise<CampaignRow> {
    const c = await this.change(p, id, 'send', 'be sent');
    const approved = await this.d.repo.countRecipients(p.tenantId, id, { states: ['approved'] });
    if (!approved) throw new AppError(409, 'nothing_approved', `Campaign ${id} has no approved recipient; approve the rendered ones first (POST /api/v1/campaigns/${id}/approve)`);
    const now = Date.now();
    if (sendAt && (sendAt.getTime() > now + 365 * 86_400_000)) throw new AppError(422, 'validation_failed', 'send_at: at most one year ahead');
    const later = sendAt && sendAt.getTime() > now + 1000;
    // The status and the send job commit together: never 'sending' or 'scheduled' with no job to send it.
    const row = await this.d.queue.transaction(async (tx) => {
      const r = await this.d.repo.transition(p.tenantId, id, FROM.send, later ? { status: 'scheduled', send_at: sendAt } : { status: 'sending', send_at: null, send_started_at: c.send_started_at ?? new Date() }, tx.db);
      if (!r) throw invalidState(c, 'be sent', FROM.send);
      await tx.send('campaign-send', { tenantId: p.tenantId, campaignId: id }, later ? { startAfter: sendAt } : {});
      await this.audit(p, later ? 'schedule' : 'send', id, { approved, send_at: later ? sendAt.toISOString() : null }, tx.db);
      return r;
    });
    if (!later) await this.d.events.emit(p.tenantId, 'campaign.sending', { campaign_id: id, name: c.name, approved });
    return row;
  }

  async pause(p: Principal, id: string): Promise<CampaignRow> {
    const c = await this.change(p, id, 'pause', 'be paused');
    const row = await this.d.repo.transition(p.tenantId, id, FROM.pause, { status: 'paused', paused_from: c.status });
    if (!row) throw invalidState(c, 'be paused', FROM.pause);
    await this.audit(p, 'pause', id, { from: c.status });
    return row;
  }

  /** Back to where it was paused; rendering and sending pick up where they stopped. */
  async resume(p: Principal, id: string): Promise<CampaignRow> {
    const c = await this.change(p, id, 'resume', 'be resumed');
    const to = c.paused_from ?? 'review';
    // The status and the job that carries on from it commit together.
    return this.d.queue.transaction(async (tx) => {
      const row = await this.d.repo.transition(p.tenantId, id, FROM.resume, { status: to, paused_from: null }, tx.db);
      if (!row) throw invalidState(c, 'be resumed', FROM.resume);
      const data = { tenantId: p.tenantId, campaignId: id };
      if (to === 'rendering') await tx.send('campaign-fanout', data);
      if (to === 'sending') await tx.send('campaign-send', data);
      if (to === 'scheduled') await tx.send('campaign-send', data, row.send_at ? { startAfter: new Date(row.send_at) } : {});
      await this.audit(p, 'resume', id, { to }, tx.db);
      return row;
    });
  }

  /** Stops everything not yet sent: queued renders are canceled, unsent recipients are canceled. */
  async cancel(p: Principal, id: string): Promise<CampaignRow> {
    const c = await this.change(p, id, 'cancel', 'be canceled');
    const row = await this.d.repo.transition(p.tenantId, id, FROM.cancel, { status: 'canceled', paused_from: null });
    if (!row) throw invalidState(c, 'be canceled', FROM.cancel);
    await this.d.repo.moveRecipients(p.tenantId, id, ['pending', 'held', 'queued', 'rendering', 'rendered', 'approved'], { state: 'canceled' });
    await this.d.repo.cancelVideos(p.tenantId, id);
    await this.audit(p, 'cancel', id);
    return row;
  }

  async recipients(p: Principal, id: string, q: { page: number; page_size: number; state?: RecipientState[]; variant_id?: string; sample?: number }) {
    await this.get(p, id);
    const f: RecipientFilter = { states: q.state, variantId: q.variant_id };
    if (q.sample) {
      // Asking for more than match returns all that match, and says so.
      const [items, total] = await Promise.all([this.d.repo.sample(p.tenantId, id, f, q.sample), this.d.repo.countRecipients(p.tenantId, id, f)]);
      const note = items.length < q.sample ? `Only ${total} recipient(s) match; all ${items.length} are shown (asked for ${q.sample})` : null;
      return { items, total, page: 1, page_size: q.sample, sample: items.length, sample_requested: q.sample, note };
    }
    const [items, total] = await Promise.all([this.d.repo.recipients(p.tenantId, id, f, q.page, q.page_size), this.d.repo.countRecipients(p.tenantId, id, f)]);
    return { items, total, page: q.page, page_size: q.page_size, sample: null, sample_requested: null, note: null };
  }

  async recipient(p: Principal, id: string, recipientId: string) {
    await this.get(p, id);
    const r = await this.d.repo.recipientViewById(p.tenantId, id, recipientId);
    if (!r) throw notFound('Recipient', recipientId);
    return r;
  }

  /**
   * Queues a send slice (harmless when one runs already: claims are compare-and-set). `coalesce` keeps many
   * kicks within 2 s to one job (render completions); a sender with renders still pending polls anyway.
   */
  kickSend(tenantId: string, campaignId: string, coalesce = false) {
    return this.d.queue.send('campaign-send', { tenantId, campaignId }, coalesce ? { singletonKey: campaignId, singletonSeconds: 2 } : {});
  }
}
