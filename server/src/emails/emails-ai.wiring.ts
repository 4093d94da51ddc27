import { createHash } from 'node:crypto';
import { OpenAiChatClient, type LlmClient } from '../ai/llm.client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ProviderKeysService } from '../settings/provider-keys.service';
import { EmailAiService, type LlmSource } from './emails-ai.service';

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

/**
 * The chat model per workspace: its own OpenAI key (and base URL) when an admin stored one
 * (settings/provider-keys), else the server's OPENAI_* client. Clients are reused while the key is unchanged.
 */
export function tenantLlmSource(config: Config, fallback: LlmClient | null, keys: Pick<ProviderKeysService, 'resolve'>): LlmSource {
  const clients = new Map<string, { fingerprint: string; client: LlmClient }>();
  return async (tenantId) => {
    if (!tenantId) return fallback;
    const cred = await keys.resolve(tenantId, 'openai');
    if (!cred) return fallback;
    const fingerprint = createHash('sha256').update(`${cred.apiKey}\n${cred.baseUrl ?? ''}`).digest('hex');
    const hit = clients.get(tenantId);
    if (hit?.fingerprint === fingerprint) return hit.client;
    const client = new OpenAiChatClient({ apiKey: cred.apiKey, baseURL: cred.baseUrl ?? undefined, model: config.OPENAI_MODEL, timeoutMs: config.LLM_TIMEOUT_MS, maxRetries: 1 });
    clients.set(tenantId, { fingerprint, client });
    return client;
  };
}

/** Summaries and scripts for the email endpoints (see emails-ai.service.ts); with `keys`, per-workspace OpenAI keys. */
export function createEmailAi(config: Config, logger: Logger, keys?: Pick<ProviderKeysService, 'resolve'>) {
  const fallback = createLlmClient(config);
  return { emailAi: new EmailAiService(keys ? tenantLlmSource(config, fallback, keys) : fallback, logger.child({ module: 'emails-ai' })) };
}
export type EmailAi = ReturnType<typeof createEmailAi>;
