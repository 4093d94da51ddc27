import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for POST /v1/chat/completions keeping the documented contract
 * (providers.md §3.2, §3.5): Bearer auth, required `model` and non-empty `messages`, a full `chat.completion`
 * object with `usage`, `{"error":{message,type,param,code}}` envelopes with x-request-id. Tests script the
 * assistant's content (a function of the request) and can inject failures or delays.
 */
export interface ChatRequestLog {
  authorization: string | undefined;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string };
    temperature?: number;
    max_completion_tokens?: number;
    max_tokens?: number;
  };
}

export type ChatReply =
  | { content: string; delayMs?: number }
  | { status: number; code?: string; message?: string; headers?: Record<string, string> };

export interface OpenAiChatFake {
  /** Base URL for the SDK, ending in /v1. */
  baseURL: string;
  apiKey: string;
  requests: ChatRequestLog[];
  /** Sets how the assistant answers every following request. */
  reply(fn: (req: ChatRequestLog) => ChatReply): void;
  close(): Promise<void>;
}

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID()}`, ...headers });
  res.end(JSON.stringify(body));
};
const apiError = (message: string, type: string, code: string | null, param: string | null = null) => ({ error: { message, type, param, code } });

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startOpenAiChatFake(apiKey = 'sk-test-fake'): Promise<OpenAiChatFake> {
  const requests: ChatRequestLog[] = [];
  let replyFn: (req: ChatRequestLog) => ChatReply = () => ({ content: '{}' });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          return send(res, 404, apiError(`Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error', 'unknown_url'));
        }
        if (req.headers.authorization !== `Bearer ${apiKey}`) {
          return send(res, 401, apiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'));
        }
        let body: ChatRequestLog['body'];
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestLog['body'];
        } catch {
          return send(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
        }
        if (!body.model) return send(res, 400, apiError('you must provide a model parameter', 'invalid_request_error', null, 'model'));
        if (!Array.isArray(body.messages) || body.messages.length === 0) {
          return send(res, 400, apiError("'messages' must contain at least one message", 'invalid_request_error', null, 'messages'));
        }
        const log = { authorization: req.headers.authorization, body };
        requests.push(log);
        const r = replyFn(log);
        if ('status' in r) {
          return send(res, r.status, apiError(r.message ?? 'The server had an error', 'server_error', r.code ?? null), r.headers);
        }
        if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
        if (res.destroyed) return;
        const prompt = JSON.stringify(body.messages).length;
        send(res, 200, {
          id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: r.content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: Math.ceil(prompt / 4), completion_tokens: Math.ceil(r.content.length / 4), total_tokens: Math.ceil((prompt + r.content.length) / 4) },
        });
      })();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    reply(fn) {
      replyFn = fn;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
