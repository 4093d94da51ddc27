import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI server for POST /v1/audio/speech that keeps the documented contract (providers.md §3.3, §3.5):
 * Bearer auth, model/voice enums, input ≤ 4096 chars, `{"error":{message,type,param,code}}` envelopes with
 * x-request-id, and injectable failures. Audio is a deterministic tone of `msPerChar` per input character.
 */
export const OPENAI_MODELS = ['tts-1', 'tts-1-hd', 'gpt-4o-mini-tts', 'gpt-4o-mini-tts-2025-12-15'];
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
const PCM_RATE = 24_000;

export interface FakeFailure {
  status: number;
  headers?: Record<string, string>;
  code?: string;
}

export interface SpeechRequestLog {
  authorization: string | undefined;
  body: { model?: string; voice?: string; input?: string; response_format?: string; speed?: number };
  /** Samples of audio returned (0 when the request failed). */
  samples: number;
}

export interface OpenAiFake {
  /** Base URL for the SDK, ending in /v1. */
  baseURL: string;
  requests: SpeechRequestLog[];
  /** The next `times` speech requests answer this failure. */
  failNext(f: FakeFailure, times?: number): void;
  /** Forgets logged requests and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

/** A tone whose loudness changes every 50 ms, so envelope-driven lips have something to follow. */
export function tonePcm(samples: number, rate = PCM_RATE): Buffer {
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const amp = 4000 + 8000 * Math.abs(Math.sin(i / (rate * 0.05)));
    buf.writeInt16LE(Math.round(amp * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  }
  return buf;
}

/** RIFF header with the 0xFFFFFFFF sizes that streaming servers write. */
function streamingWav(pcm: Buffer): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(0xffffffff, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(PCM_RATE, 24);
  h.writeUInt32LE(PCM_RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(0xffffffff, 40);
  return Buffer.concat([h, pcm]);
}

export async function startOpenAiFake(opts: { apiKey: string; msPerChar?: number }): Promise<OpenAiFake> {
  const msPerChar = opts.msPerChar ?? 2;
  const requests: SpeechRequestLog[] = [];
  const failures: FakeFailure[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const error = (status: number, message: string, type: string, code: string | null, param: string | null = null, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID()}`, ...headers });
        res.end(JSON.stringify({ error: { message, type, param, code } }));
      };
      if (req.method === 'GET' && req.url === '/__fake/requests') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(requests));
      }
      if (req.method !== 'POST' || req.url !== '/v1/audio/speech') return error(404, `Unknown route ${req.method} ${req.url}`, 'invalid_request_error', null);
      let body: SpeechRequestLog['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as SpeechRequestLog['body'];
      } catch {
        return error(400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
      }
      const entry: SpeechRequestLog = { authorization: req.headers.authorization, body, samples: 0 };
      requests.push(entry);
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return error(401, 'Incorrect API key provided: sk-wr*****key. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
      }
      const failure = failures.shift();
      if (failure) {
        const type = failure.status === 429 ? 'requests' : 'server_error';
        return error(failure.status, `Injected failure ${failure.status}`, type, failure.code ?? null, null, failure.headers);
      }
      if (!body.model || !OPENAI_MODELS.includes(body.model)) return error(400, `Invalid model: ${body.model}`, 'invalid_request_error', null, 'model');
      if (!body.voice || !OPENAI_VOICES.includes(body.voice)) return error(400, `Invalid voice: ${body.voice}`, 'invalid_request_error', null, 'voice');
      if (typeof body.input !== 'string' || body.input.length === 0) return error(400, 'input is required', 'invalid_request_error', null, 'input');
      if (body.input.length > 4096) {
        return error(400, `string too long. Expected a string with maximum length 4096, but got a string with length ${body.input.length} instead.`, 'invalid_request_error', 'string_above_max_length', 'input');
      }
      const format = body.response_format ?? 'mp3';
      if (format !== 'pcm' && format !== 'wav') return error(400, `The fake only synthesizes pcm and wav, not ${format}`, 'invalid_request_error', null, 'response_format');
      entry.samples = Math.round((body.input.length * msPerChar * PCM_RATE) / 1000);
      const pcm = tonePcm(entry.samples);
      res.writeHead(200, { 'content-type': format === 'wav' ? 'audio/wav' : 'audio/pcm', 'x-request-id': `req_${randomUUID()}` });
      res.end(format === 'wav' ? streamingWav(pcm) : pcm);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext(f, times = 1) {
      for (let i = 0; i < times; i++) failures.push(f);
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
