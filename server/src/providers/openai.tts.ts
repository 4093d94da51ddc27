import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { Logger } from '../logger';
import type { TtsEngine, TtsOptions, TtsResult } from '../media/tts';
import { DEFAULT_RETRY, parseRetryAfter, ProviderHttpError, withRetry, type RetryPolicy } from './provider-retry';
import { redactSecrets } from './redact';
import { synthesizeInParts, type PartAudio } from './synthesize-parts';
import { decodeWav } from './wav';

/** `input` limit of POST /audio/speech (providers.md §3.3). */
export const OPENAI_TTS_MAX_CHARS = 4096;
/** `response_format: 'pcm'` is raw 24 kHz signed 16-bit little-endian mono. */
export const OPENAI_PCM_RATE = 24_000;

export interface OpenAiTtsConfig {
  apiKey: string;
  /** Any OpenAI-compatible server; undefined = api.openai.com. */
  baseURL?: string;
  model: string;
  defaultVoice: string;
  format: 'pcm' | 'wav';
  log?: Logger;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** OpenAI (or compatible) text-to-speech through the official SDK; no timings, so lips follow the envelope. */
export class OpenAiTts implements TtsEngine {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;

  constructor(private readonly cfg: OpenAiTtsConfig) {
    // Retries are ours (withRetry) so every provider fails with the same codes and bounded waits.
    this.client = new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseURL, maxRetries: 0, timeout: cfg.timeoutMs ?? 60_000 });
  }

  synthesize(text: string, opts: TtsOptions, workDir: string, signal?: AbortSignal): Promise<TtsResult> {
    const policy = this.cfg.retry ?? DEFAULT_RETRY;
    return synthesizeInParts(
      text,
      OPENAI_TTS_MAX_CHARS,
      (part) => withRetry('openai', () => this.speakOnce(part, opts, signal), { policy, log: this.cfg.log, signal }),
      { workDir, name: 'speech-openai', signal },
    );
  }

  private async speakOnce(input: string, opts: TtsOptions, signal?: AbortSignal): Promise<PartAudio> {
    const format = this.cfg.format;
    let buf: Buffer;
    try {
      const res = await this.client.audio.speech.create(
        {
          model: this.cfg.model,
          voice: opts.voice ?? this.cfg.defaultVoice,
          input,
          response_format: format,
          ...(opts.rate && opts.rate !== 1 ? { speed: Math.min(4, Math.max(0.25, opts.rate)) } : {}),
        },
        { signal },
      );
      buf = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw this.toHttpError(e);
    }
    if (buf.length < 2) throw new ProviderHttpError(502, 'empty audio response');
    if (format === 'pcm') return { pcm: { sampleRate: OPENAI_PCM_RATE, data: buf.subarray(0, buf.length & ~1) } };
    try {
      return { pcm: decodeWav(buf) };
    } catch (e) {
      throw new ProviderHttpError(502, `unreadable WAV from the server: ${(e as Error).message}`);
    }
  }

  private toHttpError(e: unknown): unknown {
    if (e instanceof APIUserAbortError || !(e instanceof APIError)) return e;
    if (e instanceof APIConnectionError || e.status === undefined) return new ProviderHttpError('network', 'could not reach the server');
    const detail = (e.error as { message?: string } | undefined)?.message ?? e.message;
    return new ProviderHttpError(e.status, redactSecrets(detail, this.cfg.apiKey), e.headers ? parseRetryAfter(e.headers) : undefined);
  }
}
