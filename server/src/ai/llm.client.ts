import OpenAI from 'openai';

/** A chat model that answers with one JSON object. */
export interface LlmClient {
  readonly model: string;
  /** Sends a system and a user message; resolves the parsed JSON answer (unvalidated) or throws. */
  completeJson(system: string, user: string, opts?: { maxTokens?: number; signal?: AbortSignal }): Promise<unknown>;
}

export interface OpenAiChatConfig {
  /** Local servers (Ollama, vLLM) ignore the key, but the SDK needs a non-empty one. */
  apiKey?: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
}

/** Any OpenAI-compatible chat.completions endpoint (OpenAI, Azure via baseURL, Ollama, vLLM, LM Studio) in JSON mode. */
export class OpenAiChatClient implements LlmClient {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(cfg: OpenAiChatConfig) {
    this.model = cfg.model;
    this.client = new OpenAI({
      apiKey: cfg.apiKey || 'not-needed',
      baseURL: cfg.baseURL,
      timeout: cfg.timeoutMs,
      maxRetries: cfg.maxRetries ?? 1,
    });
  }

  async completeJson(system: string, user: string, opts: { maxTokens?: number; signal?: AbortSignal } = {}): Promise<unknown> {
    const r = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        temperature: 0.3,
        max_completion_tokens: opts.maxTokens ?? 800,
        // json_object is the portable structured mode (json_schema support varies across local servers).
        response_format: { type: 'json_object' },
      },
      { signal: opts.signal },
    );
    const choice = r.choices[0];
    const text = choice?.message?.content;
    if (!text) throw new Error(`LLM returned no content (finish_reason ${choice?.finish_reason ?? 'none'})`);
    if (choice.finish_reason === 'length') throw new Error('LLM answer was cut off (finish_reason length)');
    return JSON.parse(text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
  }
}
