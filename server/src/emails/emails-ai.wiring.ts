import { OpenAiChatClient, type LlmClient } from '../ai/llm.client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { EmailAiService } from './emails-ai.service';

/** The chat model when OPENAI_BASE_URL or OPENAI_API_KEY is set; null means offline engines only. */
export function createLlmClient(config: Config): LlmClient | null {
  if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) return null;
  return new OpenAiChatClient({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: 1,
  });
}

/** Summaries and scripts for the email endpoints (see emails-ai.service.ts). */
export function createEmailAi(config: Config, logger: Logger) {
  return { emailAi: new EmailAiService(createLlmClient(config), logger.child({ module: 'emails-ai' })) };
}
export type EmailAi = ReturnType<typeof createEmailAi>;
