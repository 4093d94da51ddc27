import { z } from '@hono/zod-openapi';
import { Uuid } from './common';

/** Limits of contacts and imports, shared by the server checks and the portal's hints. */
export const CONTACT_LIMITS = {
  /** The CSV upload, streamed; beyond it the import stops with 413 payload_too_large. */
  maxImportBytes: 50 * 1024 * 1024,
  maxEmailChars: 254,
  /** first_name, last_name, company, title, pronunciation. */
  maxFieldChars: 200,
  /** A custom column's value. */
  maxVariableChars: 2000,
  /** Columns of an imported file (the standard fields plus custom variables). */
  maxColumns: 100,
  /** contact_ids in one membership change. */
  maxIdsPerChange: 1000,
} as const;

/** The standard fields of a contact that an import maps columns to. */
export const CONTACT_FIELDS = ['email', 'first_name', 'last_name', 'company', 'title', 'pronunciation'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const EMAIL_LOCAL = /^[^\s@"(),:;<>[\\\]]{1,64}$/u;
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/**
 * An address as stored: trimmed, NFC, lower-cased; "Name <a@b.c>" and "mailto:" forms unwrapped. Null when
 * it is not a plausible address (one @, a dotted domain with a 2+ letter TLD, no spaces, ≤ 254 chars).
 */
export function normalizeEmail(raw: string): string | null {
  let s = raw.normalize('NFC').trim();
  const angled = /<([^<>]+)>\s*$/.exec(s);
  if (angled) s = angled[1]!.trim();
  s = s.replace(/^mailto:/i, '').toLowerCase();
  if (s.length > CONTACT_LIMITS.maxEmailChars) return null;
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.indexOf('@') !== at) return null;
  const local = s.slice(0, at);
  const labels = s.slice(at + 1).split('.');
  if (!EMAIL_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return null;
  if (!/^\p{L}{2,}$/u.test(labels.at(-1)!)) return null;
  return s;
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s.normalize('NFC'));
const optionalField = text(CONTACT_LIMITS.maxFieldChars).nullable().optional();
const Email = z
  .string()
  .trim()
  .max(CONTACT_LIMITS.maxEmailChars)
  .refine((s) => normalizeEmail(s) !== null, { message: 'Not a valid email address' })
  .transform((s) => normalizeEmail(s)!)
  .openapi({ example: 'minh.nguyen@example.vn' });
const Variables = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Variable names are lower-case letters, digits and _ (e.g. "city")'),
    text(CONTACT_LIMITS.maxVariableChars),
  )
  .openapi({ description: 'Custom values for template variables, e.g. { "city": "Đà Nẵng" } for {{city}}', example: { city: 'Đà Nẵng' } });

export const SuppressionReason = z.enum(['unsubscribed', 'bounced', 'spamreport']).openapi('SuppressionReason');

const PRONUNCIATION_DOC =
  'How to say the name: plain text says how to pronounce the first name ("Nwin"); pairs give words of the name ("Nguyễn=Nwin; Siobhan=Shivawn"). The TTS engine speaks it; transcripts keep the real spelling.';

/** A contact: one person a campaign can reach, unique per workspace by email. */
export const Contact = z
  .object({
    id: Uuid,
    email: z.string().openapi({ example: 'minh.nguyen@example.vn' }),
    first_name: z.string().nullable().openapi({ example: 'Minh' }),
    last_name: z.string().nullable().openapi({ example: 'Nguyễn' }),
    company: z.string().nullable().openapi({ example: 'Sao Mai' }),
    title: z.string().nullable(),
    pronunciation: z.string().nullable().openapi({ description: PRONUNCIATION_DOC }),
    variables: z.record(z.string(), z.string()),
    suppressed: SuppressionReason.nullable().openapi({ description: 'Set when the address is on the suppression list: campaigns never email it' }),
    list_ids: z.array(Uuid).optional().openapi({ description: 'The lists the contact is in (single-contact answers only)' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof Contact>;

export const ContactPage = z
  .object({ items: z.array(Contact), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
  .openapi('ContactPage');

export const ContactQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: 'Search email, first/last name and company', example: 'nguyễn' }),
  list_id: Uuid.optional().openapi({ description: 'Only members of this list' }),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export const CreateContactRequest = z
  .object({
    email: Email,
    first_name: optionalField,
    last_name: optionalField,
    company: optionalField,
    title: optionalField,
    pronunciation: optionalField.openapi({ description: PRONUNCIATION_DOC }),
    variables: Variables.optional(),
    list_ids: z.array(Uuid).max(100).optional().openapi({ description: 'Lists to add the new contact to' }),
  })
  .openapi('CreateContactRequest');

export const UpdateContactRequest = z
  .object({
    email: Email.optional(),
    first_name: optionalField,
    last_name: optionalField,
    company: optionalField,
    title: optionalField,
    pronunciation: optionalField,
    variables: Variables.optional().openapi({ description: 'Replaces all custom variables' }),
  })
  .openapi('UpdateContactRequest');

// ── lists ────────────────────────────────────────────────────────────────

export const ContactList = z
  .object({
    id: Uuid,
    name: z.string().openapi({ example: 'Hội chợ Đà Nẵng 2026' }),
    description: z.string().nullable(),
    member_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('ContactList');
export type ContactList = z.infer<typeof ContactList>;

export const ContactListPage = z
  .object({ items: z.array(ContactList), total: z.number().int(), page: z.number().int(), page_size: z.number().int() })
  .openapi('ContactListPage');

const ListName = z.string().trim().min(1).max(200).transform((s) => s.normalize('NFC'));
export const CreateListRequest = z.object({ name: ListName, description: text(1000).nullable().optional() }).openapi('CreateListRequest');
export const UpdateListRequest = z
  .object({ name: ListName.optional(), description: text(1000).nullable().optional() })
  .openapi('UpdateListRequest');

export const MembersQuery = z.object({
  after: Uuid.optional().openapi({ description: "Cursor: the previous page's `next_after`" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const MemberPage = z
  .object({
    items: z.array(Contact),
    total: z.number().int(),
    next_after: Uuid.nullable().openapi({ description: 'Pass as `after` for the next page; null on the last page' }),
  })
  .openapi('MemberPage');

export const MembersChangeRequest = z
  .object({ contact_ids: z.array(Uuid).min(1).max(CONTACT_LIMITS.maxIdsPerChange) })
  .openapi('MembersChangeRequest');

export const MembersChangeResult = z
  .object({
    changed: z.number().int().openapi({ description: 'Memberships added (or removed)' }),
    unchanged: z.number().int().openapi({ description: 'Already in (or not in) the list' }),
    refused: z
      .array(z.object({ contact_id: Uuid, reason: z.enum(['not_found', 'suppressed']) }))
      .openapi({ description: 'Ids not of this workspace, and suppressed contacts (never added to a list)' }),
  })
  .openapi('MembersChangeResult');

// ── import ───────────────────────────────────────────────────────────────

export const IMPORT_REFUSAL_REASONS = [
  'missing_email',
  'bad_email',
  'duplicate',
  'suppressed',
  'too_long',
  'bad_encoding',
  'malformed_row',
  'extra_values',
] as const;
export const ImportRefusalReason = z.enum(IMPORT_REFUSAL_REASONS).openapi('ImportRefusalReason');
export type ImportRefusalReason = z.infer<typeof ImportRefusalReason>;

export const ImportRefusal = z
  .object({
    row: z.number().int().openapi({ description: 'Spreadsheet row: the header is row 1, the first contact row 2' }),
    column: z.string().nullable().openapi({ description: 'Header of the offending column; null for the whole row' }),
    reason: ImportRefusalReason,
    message: z.string().openapi({ example: '"minh@@example" is not an email address' }),
    value: z.string().optional().openapi({ description: 'The offending value (cut to 100 characters)' }),
    duplicate_of: z.number().int().optional().openapi({ description: 'For duplicates: the earlier row with the same email' }),
  })
  .openapi('ImportRefusal');
export type ImportRefusal = z.infer<typeof ImportRefusal>;

export const ImportColumn = z
  .object({
    index: z.number().int(),
    header: z.string(),
    field: z.enum(CONTACT_FIELDS).nullable().openapi({ description: 'The contact field this column fills' }),
    variable: z.string().nullable().openapi({ description: 'Or the custom variable it is kept as ({{variable}})' }),
    ignored: z.boolean().openapi({ description: 'Mapped to nothing by `mapping`' }),
  })
  .openapi('ImportColumn');

export const ImportReport = z
  .object({
    list_id: Uuid.nullable().openapi({ description: 'The list the contacts were added to (null without list_id/list_name)' }),
    list_name: z.string().nullable(),
    list_created: z.boolean(),
    imported: z.number().int().openapi({ description: 'New contacts' }),
    updated: z.number().int().openapi({ description: 'Existing contacts whose fields changed' }),
    unchanged: z.number().int().openapi({ description: 'Existing contacts the file had nothing new for' }),
    added_to_list: z.number().int(),
    refused: z.array(ImportRefusal),
    total_rows: z.number().int().openapi({ description: 'Data rows read (blank rows not counted)' }),
    blank_rows: z.number().int(),
    encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1258']),
    delimiter: z.enum([',', ';', '\t', '|']),
    columns: z.array(ImportColumn),
    duration_ms: z.number().int(),
  })
  .openapi('ImportReport');
export type ImportReport = z.infer<typeof ImportReport>;

export const IMPORT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1258'] as const;

export const ImportForm = z
  .object({
    file: z.any().openapi({ type: 'string', format: 'binary', description: 'The CSV (UTF-8 with or without BOM, UTF-16 with BOM; comma, semicolon or tab)' }),
    list_id: Uuid.optional().openapi({ description: 'Add every imported contact to this list' }),
    list_name: z.string().max(200).optional().openapi({ description: 'Or to the list of this name, created when missing' }),
    mapping: z
      .string()
      .optional()
      .openapi({
        description:
          'JSON object header → target: a field (email, first_name, last_name, company, title, pronunciation), a variable name, or "" to ignore the column. Headers not named keep the automatic mapping.',
        example: '{"E-mail":"email","Tên":"first_name","Ghi chú":""}',
      }),
    encoding: z.enum(IMPORT_ENCODINGS).optional().openapi({ description: 'Override detection (files without a BOM are read as UTF-8)' }),
    delimiter: z.enum(['comma', 'semicolon', 'tab', 'pipe']).optional().openapi({ description: 'Override delimiter sniffing' }),
  })
  .openapi('ImportForm');

// ── pronunciation lexicon ────────────────────────────────────────────────

export const Pronunciation = z
  .object({
    id: Uuid,
    word: z.string().openapi({ example: 'Nguyễn' }),
    say_as: z.string().openapi({ example: 'Nwin' }),
    language: z.enum(['en', 'vi']).nullable().openapi({ description: 'Voice language it applies to; null for all' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Pronunciation');

const Word = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((s) => s.normalize('NFC'))
  .refine((s) => /[\p{L}\p{N}]/u.test(s), { message: 'The word needs at least one letter or digit' });
export const CreatePronunciationRequest = z
  .object({
    word: Word.openapi({ example: 'Nguyễn', description: 'Matched as a whole word (or phrase), case-insensitively' }),
    say_as: z.string().trim().min(1).max(200).openapi({ example: 'Nwin', description: 'What the TTS engine is given to say instead' }),
    language: z.enum(['en', 'vi']).nullable().optional(),
  })
  .openapi('CreatePronunciationRequest');
export const UpdatePronunciationRequest = z
  .object({ word: Word.optional(), say_as: z.string().trim().min(1).max(200).optional(), language: z.enum(['en', 'vi']).nullable().optional() })
  .openapi('UpdatePronunciationRequest');

export const SpokenTextRequest = z
  .object({
    text: z.string().min(1).max(10_000).openapi({ example: 'Chào anh Nguyễn, cảm ơn anh đã dùng MVS.' }),
    language: z.enum(['en', 'vi']).default('en'),
    pronunciations: z.record(z.string(), z.string()).optional().openapi({ description: 'Extra per-video entries (as videos.options.pronunciations), over the lexicon' }),
  })
  .openapi('SpokenTextRequest');
export const SpokenText = z
  .object({ text: z.string(), spoken: z.string().openapi({ description: 'What the TTS engine is given' }), replaced: z.array(z.object({ word: z.string(), say_as: z.string(), count: z.number().int() })) })
  .openapi('SpokenText');
