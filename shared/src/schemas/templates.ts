import { z } from '@hono/zod-openapi';
import { Uuid } from './common';

/** The use cases of the library; `custom` is for a tenant's own templates that fit none. */
export const TEMPLATE_USE_CASES = ['sales', 'customer_success', 'hr', 'real_estate', 'custom'] as const;
export const TemplateUseCase = z.enum(TEMPLATE_USE_CASES).openapi('TemplateUseCase');
export type TemplateUseCase = z.infer<typeof TemplateUseCase>;

export const TEMPLATE_LIMITS = { maxScriptChars: 5000, maxSubjectChars: 300, maxBodyChars: 20_000, maxCaptionChars: 120, maxNameChars: 200 } as const;

const VARIABLES_DOC =
  'Variables: `{{first_name}}`, `{{company|your team}}` (text after | is the fallback), any custom contact column by its variable name. In the body, `{{video}}` marks where the video block goes (not a variable).';

/** A script's personal part (rendered per contact) and shared part (rendered once per campaign); see splitScript. */
export const ScriptParts = z
  .object({
    personal: z.string().openapi({ description: 'Leading sentences with variables' }),
    shared: z.string().openapi({ description: 'The rest; spoken after the personal part, joined with a space' }),
    shared_variables: z.array(z.string()).openapi({ description: 'Variables in the shared part (then it is not reusable)' }),
    reusable: z.boolean().openapi({ description: 'A campaign renders the shared part once and only the personal part per contact' }),
  })
  .openapi('ScriptParts');

export const Template = z
  .object({
    id: Uuid,
    use_case: TemplateUseCase,
    name: z.string().openapi({ example: 'Cold outreach: first touch' }),
    description: z.string().nullable(),
    language: z.enum(['en', 'vi']),
    script: z.string().openapi({ description: `What the avatar says. ${VARIABLES_DOC}` }),
    subject: z.string(),
    body: z.string().openapi({ description: 'Email body as text (paragraphs separated by a blank line), with `{{video}}` where the video goes' }),
    poster_caption: z.string().nullable(),
    builtin: z.boolean().openapi({ description: 'Part of the library: read-only, duplicate it to edit' }),
    variables: z.array(z.string()).openapi({ description: 'Every variable used in any field', example: ['first_name', 'company'] }),
    required_variables: z.array(z.string()).openapi({ description: 'Variables used without a fallback: a contact lacking one cannot be sent this template' }),
    parts: ScriptParts,
    created_by: Uuid.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Template');
export type Template = z.infer<typeof Template>;

export const TemplateQuery = z.object({
  use_case: TemplateUseCase.optional(),
  language: z.enum(['en', 'vi']).optional(),
  builtin: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ description: 'true: only the library; false: only your own' }),
});

const nfc = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s.normalize('NFC'));

export const CreateTemplateRequest = z
  .object({
    use_case: TemplateUseCase.default('custom'),
    name: nfc(TEMPLATE_LIMITS.maxNameChars).pipe(z.string().min(1)),
    description: nfc(1000).nullable().optional(),
    language: z.enum(['en', 'vi']),
    script: nfc(TEMPLATE_LIMITS.maxScriptChars).pipe(z.string().min(1, 'The script is empty; write what the avatar should say')).openapi({ description: VARIABLES_DOC }),
    subject: nfc(TEMPLATE_LIMITS.maxSubjectChars).pipe(z.string().min(1)),
    body: nfc(TEMPLATE_LIMITS.maxBodyChars).default('{{video}}'),
    poster_caption: nfc(TEMPLATE_LIMITS.maxCaptionChars).nullable().optional(),
  })
  .openapi('CreateTemplateRequest');

export const UpdateTemplateRequest = z
  .object({
    use_case: TemplateUseCase.optional(),
    name: nfc(TEMPLATE_LIMITS.maxNameChars).pipe(z.string().min(1)).optional(),
    description: nfc(1000).nullable().optional(),
    language: z.enum(['en', 'vi']).optional(),
    script: nfc(TEMPLATE_LIMITS.maxScriptChars).pipe(z.string().min(1)).optional(),
    subject: nfc(TEMPLATE_LIMITS.maxSubjectChars).pipe(z.string().min(1)).optional(),
    body: nfc(TEMPLATE_LIMITS.maxBodyChars).optional(),
    poster_caption: nfc(TEMPLATE_LIMITS.maxCaptionChars).nullable().optional(),
  })
  .openapi('UpdateTemplateRequest');

export const DuplicateTemplateRequest = z
  .object({ name: nfc(TEMPLATE_LIMITS.maxNameChars).pipe(z.string().min(1)).optional().openapi({ description: 'Defaults to "<name> (copy)"' }) })
  .openapi('DuplicateTemplateRequest');

export const PreviewTemplateRequest = z
  .object({
    contact_id: Uuid.optional().openapi({ description: "Fill the variables from this contact's fields and custom columns" }),
    values: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.string().max(2000))
      .optional()
      .openapi({ description: "Inline values (over the contact's)", example: { first_name: 'Minh', company: 'Sao Mai' } }),
  })
  .openapi('PreviewTemplateRequest');

export const TemplatePreview = z
  .object({
    script: z.string().openapi({ description: 'The script as the transcript shows it' }),
    spoken_script: z.string().openapi({ description: "What the TTS engine is given: the script after the contact's pronunciation and the workspace lexicon" }),
    subject: z.string(),
    body: z.string().openapi({ description: '`{{video}}` is kept for the send step to place the video' }),
    poster_caption: z.string().nullable(),
    parts: z.object({ personal: z.string(), shared: z.string(), reusable: z.boolean() }).openapi({ description: 'The rendered personal part and the shared part' }),
    missing: z.array(z.string()).openapi({ description: 'Variables with neither a value nor a fallback (left out of the texts)' }),
    missing_by_field: z.object({ script: z.array(z.string()), subject: z.array(z.string()), body: z.array(z.string()), poster_caption: z.array(z.string()) }),
    contact_id: Uuid.nullable(),
  })
  .openapi('TemplatePreview');
export type TemplatePreview = z.infer<typeof TemplatePreview>;
