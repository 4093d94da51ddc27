import {
  type DraftScriptRequest,
  type DraftScriptResponse,
  type SummarizeRequest,
  type SummarizeResponse,
} from '@mvs/shared/schemas/emails';
import { z } from 'zod';
import type { LlmClient } from '../ai/llm.client';
import { emailMessage, scriptPrompt, summaryPrompt } from '../ai/llm-prompts';
import { detectLanguage } from '../ai/language';
import { draftScriptOffline, resolveVoices } from '../ai/script.offline';
import { fitToWords } from '../ai/script-fit';
import { PHRASES } from '../ai/script-phrases';
import { estimateSeconds, wordBudget } from '../ai/speech-rate';
import { analyzeEmail, summarizeOffline } from '../ai/summarizer.offline';
import type { Logger } from '../logger';

const Strings = (max: number) => z.array(z.string().trim().min(1).max(400)).max(max);
/** What the model must answer for a summary; anything else falls back to the offline engine. */
const LlmSummary = z.object({
  summary: z.string().trim().min(1).max(1200),
  bullets: Strings(8),
  asks: Strings(15),
  people: Strings(30),
  dates: Strings(30),
  numbers: Strings(30),
});
const LlmScript = z.object({ script: z.string().trim().min(10).max(4000) });

/** The chat model for a workspace (its own OpenAI key when it stored one, else the server's), or null. */
export type LlmSource = (tenantId: string | undefined) => Promise<LlmClient | null>;

/** Email summaries and video scripts: the configured LLM first, the offline engines when it is absent or fails. */
export class EmailAiService {
  private readonly source: LlmSource;
  constructor(
    llm: LlmClient | null | LlmSource,
    private readonly log: Logger,
  ) {
    this.source = typeof llm === 'function' ? llm : async () => llm;
  }

  async summarize(input: SummarizeRequest, tenantId?: string): Promise<SummarizeResponse> {
    const llm = await this.source(tenantId);
    if (!llm) return summarizeOffline(input);
    const facts = analyzeEmail(input);
    const started = Date.now();
    try {
      const raw = await llm.completeJson(summaryPrompt(facts.lang), emailMessage(facts, input.from, input.to), { maxTokens: 700 });
      const answer = LlmSummary.parse(raw);
      const written = detectLanguage(`${answer.summary} ${answer.bullets.join(' ')}`);
      if (written !== facts.lang) throw new Error(`LLM wrote ${written}, expected ${facts.lang}`);
      this.log.info({ engine: 'llm', model: llm.model, ms: Date.now() - started }, 'email summarized');
      return { ...answer, language: facts.lang, engine: 'llm' };
    } catch (err) {
      this.log.warn({ reason: describe(err), ms: Date.now() - started }, 'LLM summary failed; using the offline summarizer');
      return summarizeOffline(input);
    }
  }

  async draftScript(input: DraftScriptRequest, tenantId?: string): Promise<DraftScriptResponse> {
    const llm = await this.source(tenantId);
    if (!llm) return draftScriptOffline(input);
    const facts = analyzeEmail(input);
    const { voices } = resolveVoices(input, facts);
    const lang = facts.lang;
    const maxWords = wordBudget(input.length_sec, lang);
    const started = Date.now();
    try {
      const system = scriptPrompt({
        lang,
        tone: input.tone,
        seconds: input.length_sec,
        maxWords,
        greeting: PHRASES[lang].greeting(input.tone, voices),
        signer: voices.signer,
        them: voices.them,
        summary: input.summary,
      });
      const raw = await llm.completeJson(system, emailMessage(facts, input.from, input.to), { maxTokens: 900 });
      const script = fitToWords(LlmScript.parse(raw).script.replace(/\s+/g, ' '), maxWords);
      // A script in the wrong language would be spoken by the wrong voice; treat it as a failed answer.
      if (detectLanguage(script) !== lang) throw new Error(`LLM wrote ${detectLanguage(script)}, expected ${lang}`);
      this.log.info({ engine: 'llm', model: llm.model, ms: Date.now() - started }, 'script drafted');
      return { script, language: lang, estimated_seconds: estimateSeconds(script, lang), engine: 'llm' };
    } catch (err) {
      this.log.warn({ reason: describe(err), ms: Date.now() - started }, 'LLM script failed; using the offline drafter');
      return draftScriptOffline(input);
    }
  }
}

/** A log-safe reason: the error class and message (the SDK never puts the API key in messages). */
function describe(err: unknown): string {
  if (err instanceof z.ZodError) return `invalid answer: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
}
