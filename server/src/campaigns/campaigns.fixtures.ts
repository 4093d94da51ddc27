/* Test support (not a test): contact lists, polling, and campaign requests against a test app. */
import { expect } from 'vitest';
import type { Campaign } from '@mvs/shared/schemas/campaigns';
import type { TestEnv } from '../../test/harness';
import type { ContactUpsert } from '../contacts/contacts.repository';

/** A list of the tenant of `tenantDomain` holding these contacts (through the contacts repository). */
export async function createList(env: TestEnv, name: string, contacts: ContactUpsert[], tenantDomain = 'demo.com'): Promise<{ listId: string; tenantId: string }> {
  const tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', tenantDomain).executeTakeFirstOrThrow()).id;
  const list = (await env.container.contactsRepo.insertList(tenantId, { name, created_by: null }))!;
  for (let i = 0; i < contacts.length; i += 500) await env.container.contactsRepo.upsertBatch(tenantId, contacts.slice(i, i + 500), list.id);
  return { listId: list.id, tenantId };
}

/** Polls `fn` until `ok` holds (no fixed sleeps); fails with the last value. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** JSON request helpers bound to a test env and a token. */
export function api(env: TestEnv, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await env.request(path, { method, token, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* CSV, SSE */
    }
    return { status: res.status, body: json as Record<string, unknown> & { code?: string; details?: Record<string, unknown> }, text, headers: res.headers };
  };
  return {
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    campaign: async (id: string) => {
      const r = await call('GET', `/api/v1/campaigns/${id}`);
      expect(r.status).toBe(200);
      return r.body as unknown as Campaign;
    },
  };
}

/** Reads an SSE response as it arrives: `events` fills up, `closed` resolves at the end of the stream. */
export function readSse(res: Response): { events: { event: string; data: unknown }[]; closed: Promise<void> } {
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const closed = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })();
  return { events, closed };
}

/**
 * Puts a draft campaign's recipients straight into `approved` with a finished video each (the files of one
 * stored test clip), for tests of sending that need no rendering: the same video rows and tracked links
 * the fan-out creates, with the status a finished render leaves.
 */
export async function approveWithStoredVideos(env: TestEnv, tenantId: string, campaignId: string, media: { video: string; poster: string; gif: string }): Promise<void> {
  const { newKey } = await import('../storage/storage');
  const keys = { video_key: newKey(tenantId, 'videos', 'mp4'), poster_key: newKey(tenantId, 'videos', 'jpg'), gif_key: newKey(tenantId, 'videos', 'gif') };
  await env.container.storage.putFile(keys.video_key, media.video, 'video/mp4');
  await env.container.storage.putFile(keys.poster_key, media.poster, 'image/jpeg');
  await env.container.storage.putFile(keys.gif_key, media.gif, 'image/gif');
  await env.container.campaignsRepo.transition(tenantId, campaignId, ['draft'], { status: 'rendering' });
  await env.container.campaignRendering.fanout(tenantId, campaignId, new AbortController().signal);
  await env.container.db
    .updateTable('videos')
    .set({ status: 'completed', progress: 100, ...keys, width: 320, height: 240, duration_sec: 2, completed_at: new Date(), updated_at: new Date() })
    .where('campaign_id', '=', campaignId)
    .execute();
  await env.container.db.updateTable('campaign_recipients').set({ state: 'approved', approved_at: new Date() }).where('campaign_id', '=', campaignId).where('state', 'in', ['queued', 'rendering']).execute();
  await env.container.campaignsRepo.transition(tenantId, campaignId, ['rendering'], { status: 'review', rendered_at: new Date() });
}
