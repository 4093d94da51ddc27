import { splitScript } from '@mvs/shared/templates/script-parts';
import { renderTemplate, requiredVariables, templateVariables, type TemplateValues } from '@mvs/shared/templates/variables';
import type { TemplateUseCase } from '../db/tables/contacts';
import type { AuditRepository } from '../audit/audit.repository';
import type { ContactsRepository } from '../contacts/contacts.repository';
import { contactPronunciations, templateValuesFor } from '../contacts/template-values';
import { AppError, forbidden, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { SpeechService } from '../providers/speech.service';
import { LIBRARY } from './templates.library';
import type { TemplateFilter, TemplateRow, TemplatesRepository } from './templates.repository';

export interface TemplateInput {
  use_case: TemplateUseCase;
  name: string;
  description?: string | null;
  language: 'en' | 'vi';
  script: string;
  subject: string;
  body: string;
  poster_caption?: string | null;
}

const FIELDS = ['script', 'subject', 'body', 'poster_caption'] as const;
/** `{{video}}` in a body is where the send step puts the video block, not a contact variable. */
const KEEP_VIDEO = { video: '{{video}}' };

/** The derived facts of a template the API shows: its variables, required ones, and script parts. */
export function describeTemplate(t: Pick<TemplateRow, 'script' | 'subject' | 'body' | 'poster_caption'>) {
  const texts = [t.script, t.subject, t.body, t.poster_caption ?? ''];
  const names = (fn: (s: string) => string[]) => [...new Set(texts.flatMap(fn))].filter((n) => n !== 'video');
  const parts = splitScript(t.script);
  return {
    variables: names((s) => templateVariables(s).map((v) => v.name)),
    required_variables: names(requiredVariables),
    parts: { personal: parts.personal, shared: parts.shared, shared_variables: parts.sharedVariables, reusable: parts.reusable },
  };
}

/** Templates of the principal's tenant: its own (CRUD) and the read-only built-in library. */
export class TemplatesService {
  /** Tenants whose library is known complete at the current version (saves a query per request). */
  private readonly seeded = new Set<string>();

  constructor(
    private readonly repo: TemplatesRepository,
    private readonly contacts: ContactsRepository,
    private readonly speech: Pick<SpeechService, 'spokenText'>,
    private readonly audit: AuditRepository,
  ) {}

  /** Seeds or upgrades the library in every tenant (at start). */
  ensureAll(): Promise<number> {
    return this.repo.ensureBuiltins(LIBRARY);
  }

  /** Seeds the library into a tenant created since the start (idempotent). */
  async ensureFor(tenantId: string): Promise<void> {
    if (this.seeded.has(tenantId)) return;
    if ((await this.repo.builtinCount(tenantId, LIBRARY)) < LIBRARY.length) await this.repo.ensureBuiltins(LIBRARY, [tenantId]);
    this.seeded.add(tenantId);
  }

  async list(p: Principal, f: TemplateFilter): Promise<TemplateRow[]> {
    await this.ensureFor(p.tenantId);
    return this.repo.list(p.tenantId, f);
  }

  async get(p: Principal, id: string): Promise<TemplateRow> {
    await this.ensureFor(p.tenantId);
    const t = await this.repo.get(p.tenantId, id);
    if (!t) throw notFound('Template', id);
    return t;
  }

  async create(p: Principal, input: TemplateInput): Promise<TemplateRow> {
    const t = await this.repo.insert({ ...input, description: input.description ?? null, poster_caption: input.poster_caption ?? null, tenant_id: p.tenantId, created_by: p.userId, builtin: false });
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'template.create', targetType: 'template', targetId: t.id });
    return t;
  }

  async update(p: Principal, id: string, patch: Partial<TemplateInput>): Promise<TemplateRow> {
    await this.mayChange(p, await this.get(p, id));
    const t = await this.repo.update(p.tenantId, id, patch);
    if (!t) throw notFound('Template', id);
    return t;
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.mayChange(p, await this.get(p, id));
    await this.repo.remove(p.tenantId, id);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'template.delete', targetType: 'template', targetId: id });
  }

  /** Copies any template (a built-in included) into a new own template the caller may edit. */
  async duplicate(p: Principal, id: string, name?: string): Promise<TemplateRow> {
    const src = await this.get(p, id);
    return this.create(p, {
      use_case: src.use_case,
      name: name ?? `${src.name} (copy)`.slice(0, 200),
      description: src.description,
      language: src.language,
      script: src.script,
      subject: src.subject,
      body: src.body,
      poster_caption: src.poster_caption,
    });
  }

  /** The template rendered for one contact (and/or inline values), with what is missing and what the TTS engine will say. */
  async preview(p: Principal, id: string, input: { contact_id?: string; values?: Record<string, string> }) {
    const t = await this.get(p, id);
    let values: TemplateValues = {};
    let pronunciations: Record<string, string> = {};
    if (input.contact_id) {
      const c = await this.contacts.get(p.tenantId, input.contact_id);
      if (!c) throw notFound('Contact', input.contact_id);
      values = templateValuesFor(c);
      pronunciations = contactPronunciations(c);
    }
    values = { ...values, ...input.values };
    const rendered = Object.fromEntries(
      FIELDS.map((f) => [f, t[f] === null ? null : renderTemplate(t[f], f === 'body' ? { ...values, ...KEEP_VIDEO } : values)]),
    ) as Record<(typeof FIELDS)[number], ReturnType<typeof renderTemplate> | null>;
    const parts = splitScript(t.script);
    const spoken = await this.speech.spokenText(p.tenantId, rendered.script!.text, t.language, pronunciations);
    const missingBy = (f: (typeof FIELDS)[number]) => rendered[f]?.missing ?? [];
    return {
      script: rendered.script!.text,
      spoken_script: spoken.text,
      subject: rendered.subject!.text,
      body: rendered.body!.text,
      poster_caption: rendered.poster_caption?.text ?? null,
      parts: { personal: renderTemplate(parts.personal, values).text, shared: parts.shared, reusable: parts.reusable },
      missing: [...new Set(FIELDS.flatMap(missingBy))],
      missing_by_field: { script: missingBy('script'), subject: missingBy('subject'), body: missingBy('body'), poster_caption: missingBy('poster_caption') },
      contact_id: input.contact_id ?? null,
    };
  }

  /** Built-ins are read-only; an own template is changed by its author or an admin. */
  private async mayChange(p: Principal, t: TemplateRow): Promise<void> {
    if (t.builtin) throw new AppError(403, 'template_read_only', `Template ${t.id} is part of the built-in library and cannot be changed; duplicate it (POST /api/v1/templates/${t.id}/duplicate) and edit the copy`);
    if (p.role !== 'admin' && t.created_by !== p.userId) throw forbidden('Only the author of a template or an admin may change it');
  }
}
