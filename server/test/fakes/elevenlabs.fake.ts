import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireFfmpeg, resolveBinaries } from '../../src/media/binaries';

/**
 * A local ElevenLabs server keeping the documented contract (providers.md §2): xi-api-key auth, text-to-speech
 * (plain and /with-timestamps, parallel alignment arrays at a fixed `msPerChar`, whitespace included), model
 * character limits, instant voice cloning (multipart /v1/voices/add), voice lists, `{"detail":{status,message}}`
 * errors and injectable failures. MP3 output is real MP3 made by ffmpeg; pcm_* is raw 16-bit PCM.
 */
const LIMITS: Record<string, number> = { eleven_v3: 3000, eleven_flash_v2_5: 40000, eleven_turbo_v2_5: 40000, eleven_flash_v2: 30000, eleven_turbo_v2: 30000, eleven_multilingual_v2: 10000 };
export const PREMADE_VOICE_ID = '21m00Tcm4TlvDq8ikWAM';

export interface ClonedVoice {
  voice_id: string;
  name: string;
  files: { name: string; type: string; bytes: number }[];
  labels: Record<string, string>;
}
export interface TtsLog {
  voiceId: string;
  text: string;
  model_id: string;
  output_format: string;
  apiKey: string | undefined;
}

export interface ElevenLabsFake {
  baseUrl: string;
  ttsRequests: TtsLog[];
  clones: ClonedVoice[];
  failNext(f: { status: number; headers?: Record<string, string>; status_code?: string }, times?: number): void;
  /** Forgets logged requests and pending failures (cloned voices stay known). */
  reset(): void;
  close(): Promise<void>;
}

function mp3Tone(seconds: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(requireFfmpeg(resolveBinaries(process.env)), ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3', 'pipe:1']);
    const out: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg ${code}`))));
  });
}

function pcmTone(seconds: number, rate: number): Buffer {
  const n = Math.round(seconds * rate);
  const b = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(9000 * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  return b;
}

export async function startElevenLabsFake(opts: { apiKey: string; msPerChar?: number }): Promise<ElevenLabsFake> {
  const msPerChar = opts.msPerChar ?? 20;
  const ttsRequests: TtsLog[] = [];
  const clones: ClonedVoice[] = [];
  const failures: { status: number; headers?: Record<string, string>; status_code?: string }[] = [];
  const voices = new Set([PREMADE_VOICE_ID]);

  const handle = async (req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': randomUUID(), ...headers });
      res.end(JSON.stringify(body));
    };
    const detail = (status: number, code: string, message: string, headers?: Record<string, string>) => send(status, { detail: { status: code, message } }, headers);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers['xi-api-key'] !== opts.apiKey) return detail(401, 'invalid_api_key', 'Invalid API key');
    const f = failures.shift();
    if (f) {
      const code = f.status_code ?? (f.status === 429 ? 'too_many_concurrent_requests' : 'system_busy');
      return detail(f.status, code, `Injected ${f.status}`, { 'maximum-concurrent-requests': '2', ...f.headers });
    }
    const tts = /^\/v1\/text-to-speech\/([^/]+)(\/with-timestamps)?$/.exec(url.pathname);
    if (req.method === 'POST' && tts) {
      const voiceId = decodeURIComponent(tts[1]!);
      let body: { text?: unknown; model_id?: string };
      try {
        body = JSON.parse(raw.toString() || '{}') as typeof body;
      } catch {
        return send(422, { detail: [{ loc: ['body'], msg: 'Invalid JSON', type: 'value_error.jsondecode' }] });
      }
      if (typeof body.text !== 'string') return send(422, { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] });
      if (!voices.has(voiceId)) return detail(404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
      const model = body.model_id ?? 'eleven_multilingual_v2';
      const limit = LIMITS[model];
      if (!limit) return detail(400, 'model_not_found', `Model ${model} does not exist`);
      if (body.text.length > limit) return detail(400, 'max_character_limit_exceeded', `Text is ${body.text.length} characters; ${model} allows ${limit}`);
      const format = url.searchParams.get('output_format') ?? 'mp3_44100_128';
      ttsRequests.push({ voiceId, text: body.text, model_id: model, output_format: format, apiKey: req.headers['xi-api-key'] as string });
      const seconds = (body.text.length * msPerChar) / 1000;
      const pcmRate = /^pcm_(\d+)$/.exec(format)?.[1];
      if (!pcmRate && !format.startsWith('mp3_')) return detail(400, 'invalid_output_format', `The fake does not produce ${format}`);
      const audio = pcmRate ? pcmTone(seconds, Number(pcmRate)) : await mp3Tone(seconds);
      const headers = { 'character-cost': String(body.text.length) };
      if (!tts[2]) {
        res.writeHead(200, { 'content-type': pcmRate ? 'audio/pcm' : 'audio/mpeg', 'request-id': randomUUID(), ...headers });
        return res.end(audio);
      }
      const chars = Array.from(body.text);
      const alignment = {
        characters: chars,
        character_start_times_seconds: chars.map((_, i) => (i * msPerChar) / 1000),
        character_end_times_seconds: chars.map((_, i) => ((i + 1) * msPerChar) / 1000),
      };
      return send(200, { audio_base64: audio.toString('base64'), alignment, normalized_alignment: alignment }, headers);
    }
    if (req.method === 'POST' && url.pathname === '/v1/voices/add') {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: raw }).formData().catch(() => null);
      if (!form) return send(422, { detail: [{ loc: ['body'], msg: 'expected multipart/form-data', type: 'value_error' }] });
      const name = form.get('name');
      type Part = { name: string; type: string; size: number };
      const files = ([...form.getAll('files'), ...form.getAll('files[]')].filter((x) => typeof x !== 'string') as unknown as Part[]).filter((x) => x.size > 0);
      if (typeof name !== 'string' || !name) return send(422, { detail: [{ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' }] });
      if (files.length === 0) return send(422, { detail: [{ loc: ['body', 'files'], msg: 'field required', type: 'value_error.missing' }] });
      const labelsRaw = form.get('labels');
      const voice_id = randomBytes(15).toString('base64url').slice(0, 20);
      voices.add(voice_id);
      clones.push({ voice_id, name, files: files.map((x) => ({ name: x.name, type: x.type, bytes: x.size })), labels: typeof labelsRaw === 'string' ? (JSON.parse(labelsRaw) as Record<string, string>) : {} });
      return send(200, { voice_id, requires_verification: false });
    }
    if (req.method === 'GET' && (url.pathname === '/v1/voices' || url.pathname === '/v2/voices')) {
      const all = [...voices].map((id) => ({ voice_id: id, name: clones.find((c) => c.voice_id === id)?.name ?? 'Rachel', category: id === PREMADE_VOICE_ID ? 'premade' : 'cloned', labels: {}, available_for_tiers: [], high_quality_base_model_ids: [] }));
      if (url.pathname === '/v1/voices') return send(200, { voices: all });
      const size = Math.min(100, Number(url.searchParams.get('page_size') ?? 10));
      const start = Number(url.searchParams.get('next_page_token') ?? 0);
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      return send(200, { voices: page, has_more: more, total_count: all.length, next_page_token: more ? String(start + size) : null });
    }
    return detail(404, 'not_found', `No route ${req.method} ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks), res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: { status: 'fake_crashed', message: String(e) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ttsRequests,
    clones,
    failNext(f, times = 1) {
      for (let i = 0; i < times; i++) failures.push(f);
    },
    reset() {
      ttsRequests.length = 0;
      failures.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
