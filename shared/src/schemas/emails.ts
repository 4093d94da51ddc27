import { z } from '@hono/zod-openapi';

/** Largest email body the AI endpoints accept (characters, before cleaning). */
export const EMAIL_BODY_MAX_CHARS = 100_000;

export const EmailAddress = z
  .object({
    name: z.string().trim().max(200).optional().openapi({ example: 'Priya Raman' }),
    email: z.string().trim().toLowerCase().email().max(254).openapi({ example: 'priya.raman@northwind.example' }),
  })
  .openapi('EmailAddress');
export type EmailAddress = z.infer<typeof EmailAddress>;

export const LanguageChoice = z.enum(['auto', 'en', 'vi']).default('auto').openapi({ example: 'auto' });
export const Engine = z.enum(['llm', 'offline']).openapi('AiEngine');
export type Engine = z.infer<typeof Engine>;

const Subject = z.string().max(1000, 'subject is over 1,000 characters').default('').openapi({ example: 'Re: Pricing for the pilot' });
const Body = z
  .string()
  .max(EMAIL_BODY_MAX_CHARS, 'body is over 100,000 characters; send only the latest message of the thread')
  .openapi({ description: 'Plain text or HTML; quoted history and signatures are removed before use.' });

/** POST /api/v1/emails/summarize request. */
export const SummarizeRequest = z
  .object({
    subject: Subject,
    body: Body,
    from: EmailAddress.optional(),
    to: z.array(EmailAddress).max(100).optional(),
    language: LanguageChoice,
  })
  .openapi('SummarizeRequest');
export type SummarizeRequest = z.infer<typeof SummarizeRequest>;

/** A short summary plus what the email asks for and the facts a reply must not lose. */
export const SummarizeResponse = z
  .object({
    summary: z.string(),
    bullets: z.array(z.string()),
    asks: z.array(z.string()),
    people: z.array(z.string()),
    dates: z.array(z.string()),
    numbers: z.array(z.string()),
    language: z.enum(['en', 'vi']),
    engine: Engine,
  })
  .openapi('SummarizeResponse');
export type SummarizeResponse = z.infer<typeof SummarizeResponse>;

export const Tone = z.enum(['friendly', 'professional', 'enthusiastic']).openapi('ScriptTone');
export type Tone = z.infer<typeof Tone>;
export const ScriptLength = z.union([z.literal(20), z.literal(40), z.literal(60)]).openapi('ScriptLength');
export type ScriptLength = z.infer<typeof ScriptLength>;

/** POST /api/v1/emails/draft-script request. */
export const DraftScriptRequest = z
  .object({
    subject: Subject,
    body: Body,
    from: EmailAddress.optional().openapi({ description: 'Author of the email being answered (the video greets them).' }),
    to: z.array(EmailAddress).max(100).optional(),
    summary: z.string().max(5000).optional(),
    tone: Tone.default('friendly'),
    length_sec: ScriptLength.default(40),
    language: LanguageChoice,
    sender_name: z.string().trim().max(200).optional().openapi({ description: 'Who signs the script; defaults to the first `to` name.' }),
  })
  .openapi('DraftScriptRequest');
export type DraftScriptRequest = z.infer<typeof DraftScriptRequest>;

export const DraftScriptResponse = z
  .object({
    script: z.string(),
    language: z.enum(['en', 'vi']),
    estimated_seconds: z.number().int(),
    engine: Engine,
  })
  .openapi('DraftScriptResponse');
export type DraftScriptResponse = z.infer<typeof DraftScriptResponse>;
