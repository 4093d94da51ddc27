import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Campaign, CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { newKey } from '../storage/storage';
import { renderTestMedia, type Media } from '../watch/watch.fixtures';
import { api, approveWithStoredVideos, createList, until } from './campaigns.fixtures';

type Page = { items: CampaignRecipient[]; total: number };

/** PATCH (drafts only, validated like create) and DELETE (not while the campaign is at work; its videos and files go). */
describeEachBackend('editing and deleting campaigns', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let media: Media;
  let user: ReturnType<typeof api>;
  let viewer: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let tenantId: string;
  let listId: string;
  let smallListId: string;
  const base = { avatar_id: DEMO.avatarId, renderer: 'static', subject: 'For you, {{first_name}}' };

  const del = (who: ReturnType<typeof api>, id: string) => who.call('DELETE', `/api/v1/campaigns/${id}`);
  const patch = (who: ReturnType<typeof api>, id: string, body: unknown) => who.call('PATCH', `/api/v1/campaigns/${id}`, body);
  const draft = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await user.post('/api/v1/campaigns', { ...base, name, list_id: listId, script: 'Hi {{first_name}}.', ...extra });
    expect(r.status).toBe(201);
    return r.body as unknown as Campaign;
  };
  const audits = (action: string, id: string) =>
    env.container.db.selectFrom('audit_log').select(['details', 'user_id']).where('action', '=', action).where('target_id', '=', id).execute();
  const recipients = async (id: string) => ((await user.get(`/api/v1/campaigns/${id}/recipients?page_size=100`)).body as unknown as Page).items;

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true, env: { JOB_RETRY_DELAY_SECONDS: '1' } });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
    media = await renderTestMedia(2);
    user = api(env, await env.login(DEMO.user.email, DEMO.user.password));
    const admin = api(env, await env.login(DEMO.admin.email, DEMO.admin.password));
    expect((await admin.post('/api/v1/users', { email: 'viewer@demo.com', full_name: 'Vi Ewer', role: 'viewer', password: 'Viewer-pass1' })).status).toBe(201);
    viewer = api(env, await env.login('viewer@demo.com', 'Viewer-pass1'));
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_name: 'Other', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    other = api(env, ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token);
    ({ listId, tenantId } = await createList(env, 'Leads', [
      { email: 'lan@customer.example', first_name: 'Lan', company: 'Saigon Tea', title: 'CEO' },
      { email: 'minh@customer.example', first_name: 'Minh', company: null },
      { email: 'priya@customer.example', first_name: 'Priya', company: 'Acme', title: 'CTO' },
      { email: 'an@customer.example', first_name: 'An', company: 'Pho 24' },
    ]));
    ({ listId: smallListId } = await createList(env, 'Two', [
      { email: 'lan@customer.example', first_name: 'Lan', company: 'Saigon Tea', title: 'CEO' },
      { email: 'priya@customer.example', first_name: 'Priya', company: 'Acme', title: 'CTO' },
    ]));
  }, 60_000);
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
    if (media) await fs.rm(media.dir, { recursive: true, force: true });
  });

  it('edits a draft: validated like create (422 missing_variables names the contacts), recipients written anew, audit-logged', async () => {
    const c = await draft('Edit me', { poster_caption: 'For {{first_name}}', cta_label: 'Book', cta_url: 'https://example.com/book' });

    const missing = await patch(user, c.id, { script: 'Hi {{first_name}}, as {{title}} at {{company}} you will like this.' });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('missing_variables');
    const d = missing.body.details as { variables: string[]; affected_total: number; contacts: { email: string; missing: string[] }[] };
    expect(d.variables.sort()).toEqual(['company', 'title']);
    expect(d.affected_total).toBe(2);
    expect(d.contacts.map((x) => [x.email, x.missing.sort()]).sort()).toEqual([['an@customer.example', ['title']], ['minh@customer.example', ['company', 'title']]]);
    // Nothing changed.
    expect(await user.campaign(c.id)).toMatchObject({ name: 'Edit me', script: 'Hi {{first_name}}.', counts: { pending: 4 } });

    const ok = await patch(user, c.id, { name: 'Edited', script: 'Hi {{first_name}}, as {{title|a leader}} at {{company|your team}} you will like this.', cta_label: null, cta_url: null });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Edited', status: 'draft', subject: 'For you, {{first_name}}', poster_caption: 'For {{first_name}}', cta_label: null, cta_url: null, counts: { pending: 4, total: 4 } });
    expect((ok.body as unknown as Campaign).variants.map((v) => v.script)).toEqual(['Hi {{first_name}}, as {{title|a leader}} at {{company|your team}} you will like this.']);
    const transcripts = Object.fromEntries((await recipients(c.id)).map((r) => [r.email, r.transcript]));
    expect(transcripts['minh@customer.example']).toBe('Hi Minh, as a leader at your team you will like this.');
    expect(transcripts['lan@customer.example']).toBe('Hi Lan, as CEO at Saigon Tea you will like this.');

    // Another list: the recipients are that list's contacts now.
    const moved = await patch(user, c.id, { list_id: smallListId });
    expect(moved.body).toMatchObject({ list_id: smallListId, counts: { pending: 2, total: 2 } });
    expect((await recipients(c.id)).map((r) => r.email).sort()).toEqual(['lan@customer.example', 'priya@customer.example']);

    // The same body rules as create.
    expect((await patch(user, c.id, {})).status).toBe(422);
    expect((await patch(user, c.id, { variants: [{}, {}, {}, {}, {}] })).status).toBe(422);
    expect((await patch(user, c.id, { cta_url: 'ftp://x' })).status).toBe(422);
    expect((await patch(user, c.id, { template_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await patch(user, c.id, { list_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);

    const rows = await audits('campaign.updated', c.id);
    expect(rows.map((r) => (r.details as { fields: string[] }).fields)).toEqual(expect.arrayContaining([['cta_label', 'cta_url', 'name', 'script'], ['list_id']]));
    expect(rows).toHaveLength(2); // refused edits are not recorded
  });

  it('edits the A/B variants: three variants with their own scripts, subjects, thumbnails and weights; a new script reaches the variants that used it', async () => {
    const c = await draft('A/B edit');
    const r = await patch(user, c.id, {
      variants: [
        { weight: 2, thumbnail: 'gif' },
        { script: 'Hello {{first_name}}, a short one.', subject: 'Quick one, {{first_name}}', thumbnail: 'poster', weight: 1 },
        { script: 'Xin chào {{first_name}}!', weight: 1 },
      ],
      ab: { min_sample: 5 },
    });
    expect(r.status).toBe(200);
    const v = (r.body as unknown as Campaign).variants;
    expect(v.map((x) => [x.label, x.script, x.subject, x.thumbnail, x.weight])).toEqual([
      ['A', 'Hi {{first_name}}.', 'For you, {{first_name}}', 'gif', 2],
      ['B', 'Hello {{first_name}}, a short one.', 'Quick one, {{first_name}}', 'poster', 1],
      ['C', 'Xin chào {{first_name}}!', 'For you, {{first_name}}', 'auto', 1],
    ]);
    expect(r.body.ab).toMatchObject({ enabled: true, min_sample: 5, window_hours: 24, confidence: 0.95 });
    const byVariant = (await recipients(c.id)).map((x) => x.variant_label);
    expect(byVariant.every((l) => l === 'A' || l === 'B' || l === 'C')).toBe(true);

    // A new campaign script and subject: variant A (which used them) follows, B and C keep their own texts.
    const again = await patch(user, c.id, { script: 'Good morning {{first_name}}.', subject: 'Morning, {{first_name}}', ab: { confidence: 0.9 } });
    expect((again.body as unknown as Campaign).variants.map((x) => [x.script, x.subject])).toEqual([
      ['Good morning {{first_name}}.', 'Morning, {{first_name}}'],
      ['Hello {{first_name}}, a short one.', 'Quick one, {{first_name}}'],
      ['Xin chào {{first_name}}!', 'Morning, {{first_name}}'],
    ]);
    expect(again.body.ab).toMatchObject({ min_sample: 5, confidence: 0.9 }); // the A/B patch changes only what it gives
    const lan = (await recipients(c.id)).find((x) => x.email === 'lan@customer.example')!;
    expect(lan.transcript).toBe({ A: 'Good morning Lan.', B: 'Hello Lan, a short one.', C: 'Xin chào Lan!' }[lan.variant_label!]);
  });

  it('edits a campaign made from a template: a new template brings its texts; one deleted since does not block an edit', async () => {
    const own = await user.post('/api/v1/templates', { name: 'Mine', language: 'en', use_case: 'sales', script: 'Hey {{first_name}}, from my template.', subject: 'Mine, {{first_name}}', body: '{{video}}' });
    expect(own.status).toBe(201);
    const tid = own.body.id as string;
    const c = await draft('From my template', { template_id: tid, script: undefined, subject: undefined });
    expect(c).toMatchObject({ template_id: tid, script: 'Hey {{first_name}}, from my template.', subject: 'Mine, {{first_name}}' });
    expect((await user.call('DELETE', `/api/v1/templates/${tid}`)).status).toBe(204);
    const r = await patch(user, c.id, { name: 'Template gone' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Template gone', template_id: tid, script: 'Hey {{first_name}}, from my template.', subject: 'Mine, {{first_name}}' });

    const library = (await user.get('/api/v1/templates?language=en&use_case=sales')).body.items as { id: string; name: string; script: string; subject: string }[];
    const t = library.find((x) => x.name.startsWith('Cold outreach'))!;
    const swapped = await patch(user, c.id, { template_id: t.id, subject: 'Still mine, {{first_name}}' });
    expect(swapped.status).toBe(200);
    expect(swapped.body).toMatchObject({ template_id: t.id, script: t.script, subject: 'Still mine, {{first_name}}' });
  });

  it('checks roles, tenants and state: viewer 403, another tenant 404, only drafts can be edited', async () => {
    const c = await draft('Guarded');
    expect((await patch(viewer, c.id, { name: 'Mine' })).status).toBe(403);
    expect((await del(viewer, c.id)).status).toBe(403);
    expect((await patch(other, c.id, { name: 'Mine' })).status).toBe(404);
    expect((await del(other, c.id)).status).toBe(404);
    expect((await user.campaign(c.id)).name).toBe('Guarded');

    await approveWithStoredVideos(env, tenantId, c.id, media); // now in review
    const refused = await patch(user, c.id, { name: 'Too late' });
    expect([refused.status, refused.body.code]).toEqual([409, 'invalid_state']);
    expect(refused.body.message).toContain('review');
  });

  it('refuses to delete a campaign at work (rendering, scheduled, paused) with 409 campaign_in_progress; deletes it once canceled', async () => {
    const rendering = await draft('Rendering');
    await env.container.campaignsRepo.transition(tenantId, rendering.id, ['draft'], { status: 'rendering' }); // as POST /render leaves it
    const r = await del(user, rendering.id);
    expect([r.status, r.body.code]).toEqual([409, 'campaign_in_progress']);
    expect(r.body.message).toContain(`/api/v1/campaigns/${rendering.id}/cancel`);

    const c = await draft('Scheduled');
    await approveWithStoredVideos(env, tenantId, c.id, media);
    expect((await user.post(`/api/v1/campaigns/${c.id}/send`, { send_at: new Date(Date.now() + 3600_000).toISOString() })).body.status).toBe('scheduled');
    expect((await del(user, c.id)).body.code).toBe('campaign_in_progress');
    expect((await user.post(`/api/v1/campaigns/${c.id}/pause`)).body.status).toBe('paused');
    expect((await del(user, c.id)).body.code).toBe('campaign_in_progress');
    expect((await user.post(`/api/v1/campaigns/${c.id}/cancel`)).body.status).toBe('canceled');
    expect((await del(user, c.id)).status).toBe(204);
    expect((await user.get(`/api/v1/campaigns/${c.id}`)).status).toBe(404);
  });

  it('documents PATCH and DELETE in the OpenAPI document, with what deleting does to videos and analytics', async () => {
    const doc = (await (await env.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown>; requestBody?: unknown }>> };
    const item = doc.paths['/api/v1/campaigns/{id}']!;
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(item.patch!.responses).sort()).toEqual(['200', '401', '403', '404', '409', '422']);
    expect(item.patch!.requestBody).toBeDefined();
    expect(Object.keys(item.delete!.responses).sort()).toEqual(['204', '401', '403', '404', '409']);
    expect(item.delete!.description).toMatch(/campaign_in_progress[\s\S]*stored MP4, poster and GIF files are removed[\s\S]*analytics\.csv[\s\S]*campaign\.deleted/);
  });

  it('spot-check: sample=N returns N random rows, all there are (and says so) when fewer match; N ≤ 0 or not a whole number is 422', async () => {
    const c = await draft('Spot-check');
    type Sample = Page & { sample: number; sample_requested: number; note: string | null; page_size: number };
    const two = (await user.get(`/api/v1/campaigns/${c.id}/recipients?sample=2`)).body as unknown as Sample;
    expect([two.items.length, new Set(two.items.map((r) => r.id)).size, two.sample, two.sample_requested, two.total, two.note]).toEqual([2, 2, 2, 2, 4, null]);

    const many = await user.get(`/api/v1/campaigns/${c.id}/recipients?sample=50`);
    expect(many.status).toBe(200);
    const m = many.body as unknown as Sample;
    expect(m.items.map((r) => r.email).sort()).toEqual(['an@customer.example', 'lan@customer.example', 'minh@customer.example', 'priya@customer.example']);
    expect([m.sample, m.sample_requested, m.total]).toEqual([4, 50, 4]);
    expect(m.note).toBe('Only 4 recipient(s) match; all 4 are shown (asked for 50)');
    // Of a filter: none match.
    const none = (await user.get(`/api/v1/campaigns/${c.id}/recipients?sample=3&state=sent`)).body as unknown as Sample;
    expect([none.items.length, none.sample, none.total, none.note]).toEqual([0, 0, 0, 'Only 0 recipient(s) match; all 0 are shown (asked for 3)']);

    for (const bad of ['0', '-3', 'abc', '1.5', '', '1e9', '101']) {
      const r = await user.get(`/api/v1/campaigns/${c.id}/recipients?sample=${bad}`);
      expect([bad, r.status, r.body.code]).toEqual([bad, 422, 'validation_failed']);
      expect(r.body.message).toMatch(/^sample: (give a whole number of rows from 1 to 100|at most 100 rows at a time)$/);
    }
  });

  it('deletes a draft (204, then 404) with an audit record', async () => {
    const c = await draft('Throwaway');
    expect((await del(user, c.id)).status).toBe(204);
    expect((await user.get(`/api/v1/campaigns/${c.id}`)).status).toBe(404);
    expect((await del(user, c.id)).status).toBe(404);
    expect(((await user.get('/api/v1/campaigns?page_size=100')).body.items as { id: string }[]).some((x) => x.id === c.id)).toBe(false);
    const [row] = await audits('campaign.deleted', c.id);
    expect(row!.details).toMatchObject({ name: 'Throwaway', status: 'draft', counts: { pending: 4 }, videos_deleted: 0, analytics: null });
    expect(await env.container.db.selectFrom('campaign_recipients').select('id').where('campaign_id', '=', c.id).execute()).toEqual([]);
  });

  it('deletes a sent campaign with its videos and stored files; the watch links stop, the sent messages and the results in the audit record stay', async () => {
    const c = await draft('Sent and gone');
    await approveWithStoredVideos(env, tenantId, c.id, media);
    // Each recipient's own files, as renders leave them.
    const videos = await env.container.db.selectFrom('videos').select(['id', 'slug']).where('campaign_id', '=', c.id).execute();
    const keys: string[] = [];
    for (const v of videos) {
      const k = { video_key: newKey(tenantId, 'videos', 'mp4'), poster_key: newKey(tenantId, 'videos', 'jpg'), gif_key: newKey(tenantId, 'videos', 'gif') };
      await env.container.storage.putFile(k.video_key, media.video, 'video/mp4');
      await env.container.storage.putFile(k.poster_key, media.poster, 'image/jpeg');
      await env.container.storage.putFile(k.gif_key, media.gif, 'image/gif');
      await env.container.db.updateTable('videos').set(k).where('id', '=', v.id).execute();
      keys.push(k.video_key, k.poster_key, k.gif_key);
    }
    expect((await user.post(`/api/v1/campaigns/${c.id}/send`, {})).status).toBe(202);
    await until(() => user.campaign(c.id), (x) => x.status === 'sent', 60_000);
    const lan = (await recipients(c.id)).find((x) => x.email === 'lan@customer.example')!;
    const watchPath = new URL(lan.watch_url!).pathname;
    expect((await env.request(watchPath)).status).toBe(200);

    expect((await del(user, c.id)).status).toBe(204);
    expect((await user.get(`/api/v1/campaigns/${c.id}`)).status).toBe(404);
    for (const key of keys) expect(await env.container.storage.stat(key)).toBeNull();
    const rows = await env.container.db.selectFrom('videos').select(['deleted_at']).where('id', 'in', videos.map((v) => v.id)).execute();
    expect(rows.length).toBe(4);
    expect(rows.every((r) => r.deleted_at !== null)).toBe(true);
    expect((await env.request(watchPath)).status).toBe(410); // the watch page says the video was removed
    const msgs = await env.container.db.selectFrom('email_messages').select('to_email').where('idempotency_key', 'like', `cmp:${c.id}:%`).execute();
    expect(msgs).toHaveLength(4);
    const [row] = await audits('campaign.deleted', c.id);
    expect(row!.details).toMatchObject({ status: 'sent', counts: { sent: 4 }, videos_deleted: 4, analytics: { sent: 4, recipients: 4, totals: { delivered: 4 }, variants: [{ label: 'A', delivered: 4 }] } });
  }, 120_000);
});
