import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HeyGen for tests, keeping the documented contract (reference/providers.md §1.8): X-Api-Key auth,
 * raw-body uploads, generate validation, a status state machine pending → processing → completed | failed
 * with freshly signed (expiring) result URLs, and failure injection. Test-only; never imported by the app.
 */
export interface FakeHeyGen {
  url: string;
  requests: Array<{ method: string; path: string; contentType?: string; body?: unknown }>;
  talkingPhotos: Set<string>;
  assets: Map<string, string>;
  /** Next n calls whose path starts with `prefix` answer `status` (e.g. 429 with Retry-After). */
  failNext(prefix: string, status: number, times?: number, retryAfter?: string): void;
  /** How renders end (default completed) and how many status calls stay "processing" first. */
  outcome: 'completed' | 'failed';
  processingPolls: number;
  /** Completed status answers whose URL is already expired (download gets 403). */
  expiredUrls: number;
  count(method: string, path: string): number;
  close(): Promise<void>;
}

const ALLOWED_UPLOAD = ['image/png', 'image/jpeg', 'audio/mpeg', 'video/mp4', 'video/webm'];
const id = () => randomBytes(12).toString('hex');

export async function startFakeHeyGen(o: { apiKey: string; videoFile: Buffer }): Promise<FakeHeyGen> {
  const failures: Array<{ prefix: string; status: number; left: number; retryAfter?: string }> = [];
  const videos = new Map<string, { polls: number; outcome: 'completed' | 'failed' }>();
  let base = '';
  const fake: FakeHeyGen = {
    url: '',
    requests: [],
    talkingPhotos: new Set(),
    assets: new Map(),
    failNext: (prefix, status, times = 1, retryAfter) => void failures.push({ prefix, status, left: times, retryAfter }),
    outcome: 'completed',
    processingPolls: 1,
    expiredUrls: 0,
    count: (method, path) => fake.requests.filter((r) => r.method === method && r.path === path).length,
    close: () => new Promise((r) => server.close(() => r())),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', base);
      const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const v2err = (status: number, code: string, message: string) => send(status, { error: { code, message }, data: null });
      const entry: FakeHeyGen['requests'][number] = { method: req.method ?? '', path: url.pathname, contentType: ct || undefined };
      if (ct === 'application/json') entry.body = JSON.parse(body.toString() || 'null');
      fake.requests.push(entry);

      if (url.pathname.startsWith('/files/')) {
        // Signed result URL: no API key, refused once Expires has passed.
        if (Number(url.searchParams.get('Expires')) < Date.now() / 1000) {
          res.writeHead(403, { 'content-type': 'application/xml' });
          return res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
        }
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(o.videoFile.length) });
        return res.end(o.videoFile);
      }
      if (req.headers['x-api-key'] !== o.apiKey) return send(401, { code: 40009, message: 'Invalid API key or OAuth token', data: null, error: { code: 40009, message: 'Invalid API key or OAuth token' } });
      const f = failures.find((x) => x.left > 0 && url.pathname.startsWith(x.prefix));
      if (f) {
        f.left--;
        return v2err(f.status, f.status === 429 ? 'rate_limit_exceeded' : 'internal_error', `injected ${f.status}`);
      }

      if (req.method === 'POST' && (url.pathname === '/v1/talking_photo' || url.pathname === '/v1/asset')) {
        if (!ALLOWED_UPLOAD.includes(ct)) return v2err(400, 'invalid_content_type', `Content-Type ${ct || 'missing'} is not allowed`);
        if (body.length === 0) return v2err(400, 'invalid_parameter', 'asset data must be provided');
        const newId = id();
        if (url.pathname === '/v1/talking_photo') {
          if (!ct.startsWith('image/')) return v2err(400, 'invalid_parameter', 'a talking photo must be an image');
          fake.talkingPhotos.add(newId);
          return send(200, { code: 100, data: { talking_photo_id: newId, talking_photo_url: `${base}/files/tp-${newId}.jpg` }, msg: null, message: null });
        }
        fake.assets.set(newId, ct);
        return send(200, { code: 100, data: { id: newId, name: newId, file_type: ct.split('/')[0], url: `${base}/files/a-${newId}` }, msg: null, message: null });
      }

      if (req.method === 'POST' && url.pathname === '/v2/video/generate') {
        const b = entry.body as { video_inputs?: Array<{ character?: Record<string, unknown>; voice?: Record<string, unknown> }> } | null;
        const input = b?.video_inputs?.[0];
        if (!input) return v2err(400, 'invalid_parameter', 'video_inputs must not be empty');
        const ch = input.character ?? {};
        if (ch.type !== 'talking_photo' && ch.type !== 'avatar') return v2err(400, 'invalid_parameter', 'character.type must be avatar or talking_photo');
        if (ch.type === 'talking_photo' && !fake.talkingPhotos.has(String(ch.talking_photo_id))) return v2err(400, 'avatar_not_found', `Avatar ${String(ch.talking_photo_id)} not found or no longer available.`);
        const v = input.voice ?? {};
        if (v.type === 'text' && (!v.voice_id || typeof v.input_text !== 'string' || v.input_text.length === 0 || v.input_text.length >= 5000)) return v2err(400, 'invalid_parameter', 'voice needs voice_id and input_text (< 5000 characters)');
        if (v.type === 'audio') {
          if (!!v.audio_url === !!v.audio_asset_id) return v2err(400, 'invalid_parameter', 'exactly one of audio_url and audio_asset_id');
          if (v.audio_asset_id && !fake.assets.has(String(v.audio_asset_id))) return v2err(400, 'asset_not_found', 'audio asset not found');
        }
        if (v.type !== 'text' && v.type !== 'audio' && v.type !== 'silence') return v2err(400, 'invalid_parameter', 'unknown voice type');
        const vid = id();
        videos.set(vid, { polls: 0, outcome: fake.outcome });
        return send(200, { error: null, data: { video_id: vid } });
      }

      if (req.method === 'GET' && url.pathname === '/v1/video_status.get') {
        const vid = url.searchParams.get('video_id') ?? '';
        const v = videos.get(vid);
        if (!v) return send(404, { code: 400116, message: 'Video not found', data: null });
        v.polls++;
        const data: Record<string, unknown> = { id: vid, status: 'pending', video_url: null, thumbnail_url: null, duration: null, error: null };
        if (v.polls > 1) data.status = 'processing';
        if (v.polls > 1 + fake.processingPolls) {
          data.status = v.outcome;
          if (v.outcome === 'failed') data.error = { code: 40119, message: 'No face detected, please try another photo.', detail: 'face detection failed' };
          else {
            const expires = fake.expiredUrls > 0 ? (fake.expiredUrls--, Math.floor(Date.now() / 1000) - 60) : Math.floor(Date.now() / 1000) + 600;
            data.video_url = `${base}/files/${vid}.mp4?Expires=${expires}&Signature=${id()}`;
            data.duration = 2;
          }
        }
        return send(200, { code: 100, data, message: 'Success' });
      }
      v2err(404, 'not_found', `no route ${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
