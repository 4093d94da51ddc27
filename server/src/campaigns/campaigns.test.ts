import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Campaign, CampaignRecipient } from '@mvs/shared/schemas/campaigns';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { startWorker, type Worker } from '../jobs/worker';
import { api, createList, readSse, until } from './campaigns.fixtures';

type Page = { items: CampaignRecipient[]; total: number; sample: number | null };

describeEachBackend('campaign lifecycle', (backend) => {
  let env: TestEnv;
  let worker: Worker;
  let user: ReturnType<typeof api>;
  let viewer: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;
  let listId: string;
  const base = { avatar_id: DEMO.avatarId, renderer: 'static', subject: 'A video for you, {{first_name}}', body: 'Hi {{first_name}},\n\n{{video}}\n\nBest,\nDemo' };

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true, env: { JOB_RETRY_DELAY_SECONDS: '1' } });
    worker = await startWorker(env.container, { pollingIntervalSeconds: 0.2 });
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
    let tenantId: string;
    ({ listId, tenantId } = await createList(env, 'Expo leads', [
      { email: 'lan@customer.example', first_name: 'Lan', last_name: 'Nguyễn', company: 'Saigon Tea', pronunciation: 'Lahn' },
      { email: 'minh@customer.example', first_name: 'Minh', company: null },
      { email: 'priya@customer.example', first_name: 'Priya', last_name: 'Shah', company: 'Acme', title: 'CTO' },
      { email: 'gone@customer.example', first_name: 'Gone' },
    ]));
    await env.container.db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'gone@customer.example', reason: 'unsubscribed' }).execute();
  }, 60_000);
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 1000 });
    await env?.close();
  });

  it('refuses a variable some contacts lack with 422 missing_variables naming them, and accepts it with a fallback', async () => {
    const r = await user.post('/api/v1/campaigns/', { ...base, name: 'Titles', list_id: listId, script: 'Hi {{first_name}}, as {{title}} you will like this.' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('missing_variables');
    expect(r.body.message).toContain('{{title}}');
    const d = r.body.details as { variables: string[]; affected_total: number; contacts: { email: string; missing: string[] }[] };
    expect(d.variables).toEqual(['title']);
    expect(d.affected_total).toBe(2); // Lan and Minh; the unsubscribed contact is not checked
    expect(d.contacts.map((c) => c.email).sort()).toEqual(['lan@customer.example', 'minh@customer.example']);
    const ok = await user.post('/api/v1/campaigns/', { ...base, name: 'Titles', list_id: listId, script: 'Hi {{first_name}}, as {{title|a leader}} you will like this.' });
    expect(ok.status).toBe(201);
  });

  it('creates a campaign from a library template, copying its script, subject, body and caption (fields given win)', async () => {
    const templates = (await user.get('/api/v1/templates?language=en&use_case=sales')).body.items as { id: string; name: string; script: string; subject: string; body: string; poster_caption: string }[];
    const t = templates.find((x) => x.name.startsWith('Cold outreach'))!;
    const r = await user.post('/api/v1/campaigns', { name: 'From template', avatar_id: DEMO.avatarId, list_id: listId, template_id: t.id, renderer: 'static' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ template_id: t.id, script: t.script, subject: t.subject, body: t.body, poster_caption: t.poster_caption, language: 'en' });
    const own = await user.post('/api/v1/campaigns', { name: 'Own subject', avatar_id: DEMO.avatarId, list_id: listId, template_id: t.id, subject: 'Mine, {{first_name}}' });
    expect(own.body).toMatchObject({ subject: 'Mine, {{first_name}}', script: t.script });
    expect((await user.post('/api/v1/campaigns', { name: 'No', avatar_id: DEMO.avatarId, list_id: listId, template_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await user.post('/api/v1/campaigns', { name: 'No', avatar_id: DEMO.avatarId, list_id: listId, subject: 'x' })).status).toBe(422); // neither script nor template
  });

  it('checks roles and tenants: a viewer reads but may not create or act; another tenant gets 404', async () => {
    const created = await user.post('/api/v1/campaigns', { ...base, name: 'Roles', list_id: listId, script: 'Hi {{first_name}}!' });
    const id = created.body.id as string;
    expect((await viewer.post('/api/v1/campaigns', { ...base, name: 'No', list_id: listId, script: 'Hi' })).status).toBe(403);
    expect((await viewer.get(`/api/v1/campaigns/${id}`)).status).toBe(200);
    for (const verb of ['render', 'approve', 'send', 'pause', 'resume', 'cancel']) expect((await viewer.post(`/api/v1/campaigns/${id}/${verb}`)).status).toBe(403);
    for (const path of ['', '/recipients', '/export.csv', '/analytics', '/analytics.csv', '/events']) expect((await other.get(`/api/v1/campaigns/${id}${path}`)).status).toBe(404);
    expect((await other.post(`/api/v1/campaigns/${id}/render`)).status).toBe(404);
    expect((await other.post('/api/v1/campaigns', { ...base, name: 'Theirs', list_id: listId, script: 'Hi' })).status).toBe(404); // not their list
    expect(((await other.get('/api/v1/campaigns')).body.items as unknown[]).length).toBe(0);
    expect((await user.post(`/api/v1/campaigns/${id}/send`)).body.code).toBe('invalid_state'); // a draft cannot be sent
  });

  it('renders every contact with their own texts, reviews, re-renders one with an edited script, approves and sends once', async () => {
    const created = await user.post('/api/v1/campaigns/', {
      ...base,
      name: 'Expo follow-up',
      list_id: listId,
      script: 'Hi {{first_name}}, great to meet you and the {{company|your}} team at the expo. Here is the demo I promised.',
      poster_caption: 'For {{first_name}}',
    });
    expect(created.status).toBe(201);
    const c0 = created.body as unknown as Campaign;
    expect(c0).toMatchObject({ status: 'draft', counts: { pending: 3, skipped: 1, total: 4 } });
    expect((await user.post(`/api/v1/campaigns/${c0.id}/render`)).status).toBe(202);
    const reviewed = await until(() => user.campaign(c0.id), (c) => c.status === 'review' || c.status === 'failed', 90_000);
    expect(reviewed.status).toBe('review');
    expect(reviewed.counts).toMatchObject({ rendered: 3, skipped: 1, render_failed: 0 });

    const page = (await user.get(`/api/v1/campaigns/${c0.id}/recipients?state=rendered`)).body as unknown as Page;
    expect(page.total).toBe(3);
    const lan = page.items.find((r) => r.email === 'lan@customer.example')!;
    expect(lan).toMatchObject({ name: 'Lan Nguyễn', company: 'Saigon Tea', state: 'rendered', caption: 'For Lan' });
    expect(lan.transcript).toBe('Hi Lan, great to meet you and the Saigon Tea team at the expo. Here is the demo I promised.');
    expect(page.items.find((r) => r.email === 'minh@customer.example')!.transcript).toContain('the your team'); // fallback used
    expect(lan.poster_url).toMatch(/^http/);
    expect(lan.watch_url).toMatch(/^http:\/\/localhost:3000\/v\/[\w-]{22}$/);
    const poster = await env.request(new URL(lan.poster_url!).pathname + new URL(lan.poster_url!).search);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const video = (await env.container.db.selectFrom('videos').select(['options', 'campaign_id']).where('id', '=', lan.video_id!).executeTakeFirstOrThrow());
    expect(video.campaign_id).toBe(c0.id);
    expect(video.options).toMatchObject({ pronunciations: { Lan: 'Lahn' }, recipient_name: 'Lan', caption: 'For Lan' });
    // Campaign videos stay out of the add-in's video list.
    expect(((await user.get('/api/v1/videos/')).body.items as { id: string }[]).some((v) => v.id === lan.video_id)).toBe(false);

    const sample = (await user.get(`/api/v1/campaigns/${c0.id}/recipients?sample=2`)).body as unknown as Page;
    expect(sample.items).toHaveLength(2);
    expect(sample.sample).toBe(2);
    expect(new Set(sample.items.map((r) => r.id)).size).toBe(2);

    const edited = await user.post(`/api/v1/campaigns/${c0.id}/recipients/${lan.id}/rerender`, { script: 'Chào {{first_name}}, see you in Saigon.' });
    expect(edited.status).toBe(202);
    // 202: back in the queue — or already taken by a free render slot of the running worker (its job commits with the row).
    expect(edited.body).toMatchObject({ transcript: 'Chào Lan, see you in Saigon.' });
    expect(['queued', 'rendering']).toContain((edited.body as { state: string }).state);
    const missing = await user.post(`/api/v1/campaigns/${c0.id}/recipients/${lan.id}/rerender`, { script: 'Hi {{nickname}}' });
    expect([409, 422]).toContain(missing.status);
    await until(() => user.get(`/api/v1/campaigns/${c0.id}/recipients/${lan.id}`), (r) => r.body.state === 'rendered', 60_000);

    const one = await user.post(`/api/v1/campaigns/${c0.id}/approve`, { recipient_ids: [lan.id, '00000000-0000-4000-8000-000000000000'] });
    expect(one.body).toMatchObject({ approved: 1, not_approvable: [{ id: '00000000-0000-4000-8000-000000000000', state: 'not_in_campaign' }] });
    const all = await user.post(`/api/v1/campaigns/${c0.id}/approve`, {});
    expect(all.body.approved).toBe(2);
    expect((all.body.campaign as Campaign).counts.approved).toBe(3);

    expect((await user.post(`/api/v1/campaigns/${c0.id}/send`, {})).status).toBe(202);
    const sent = await until(() => user.campaign(c0.id), (c) => c.status === 'sent', 60_000);
    expect(sent.counts).toMatchObject({ sent: 3, skipped: 1, approved: 0, sending: 0 });

    // The outbox driver keeps the messages: one per recipient, personal subject, one-click unsubscribe headers.
    const msgs = await env.container.db.selectFrom('email_messages').selectAll().where('idempotency_key', 'like', `cmp:${c0.id}:%`).execute();
    expect(msgs.map((m) => m.to_email).sort()).toEqual(['lan@customer.example', 'minh@customer.example', 'priya@customer.example']);
    const lanMsg = msgs.find((m) => m.to_email === 'lan@customer.example')!;
    expect(lanMsg).toMatchObject({ status: 'sent', subject: 'A video for you, Lan', provider: 'outbox' });
    expect(lanMsg.text).toMatch(/^Hi Lan,/);
    expect(lanMsg.html).toContain(`href="${lan.watch_url}"`);
    expect(lanMsg.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(lanMsg.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/u\/[0-9a-f]{64}\.[\w-]+>, <mailto:/);

    // A second send finds nothing approved.
    expect((await user.post(`/api/v1/campaigns/${c0.id}/send`, {})).body.code).toBe('nothing_approved');

    // PURL export: the documented columns, RFC 4180 quoting of the HTML snippet.
    const csv = await env.request(`/api/v1/campaigns/${c0.id}/export.csv`, { headers: { authorization: `Bearer ${await env.login(DEMO.user.email, DEMO.user.password)}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('email,first_name,watch_url,poster_url,gif_url,html_snippet,last_name,company,variant,subject');
    const lanLine = lines.find((l) => l.startsWith('lan@customer.example,'))!;
    expect(lanLine).toContain(`,${lan.watch_url},${lan.watch_url}/poster.jpg,${lan.watch_url}/thumb.gif,"<table role=""presentation""`);
    expect(lines.filter((l) => l).length).toBe(4);

    const analytics = (await user.get(`/api/v1/campaigns/${c0.id}/analytics`)).body as { totals: { delivered: number }; sent: number; variants: unknown[] };
    expect(analytics.totals.delivered).toBe(3);
    expect(analytics.sent).toBe(3);
  }, 240_000);

  it('schedules, pauses, resumes and cancels; the SSE stream reports counts and ends with the campaign', async () => {
    const id = ((await user.post('/api/v1/campaigns', { ...base, name: 'Later', list_id: listId, script: 'Hi {{first_name}}.' })).body.id) as string;
    const token = await env.login(DEMO.user.email, DEMO.user.password);
    const sse = readSse(await env.request(`/api/v1/campaigns/${id}/events?access_token=${token}`));
    const statuses = () => sse.events.filter((e) => e.event === 'counts').map((e) => e.data as { status: string; counts: { rendered: number } });
    await until(async () => statuses(), (s) => s.length > 0, 5000, 20);
    await user.post(`/api/v1/campaigns/${id}/render`);
    await until(() => user.campaign(id), (c) => c.status === 'review', 90_000);
    await until(async () => statuses(), (s) => s.some((c) => c.status === 'review' && c.counts.rendered === 3), 5000, 20);
    await user.post(`/api/v1/campaigns/${id}/approve`, {});
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await user.post(`/api/v1/campaigns/${id}/send`, { send_at: at });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', send_at: at });
    expect((await user.post(`/api/v1/campaigns/${id}/pause`)).body).toMatchObject({ status: 'paused', paused_from: 'scheduled' });
    expect((await user.post(`/api/v1/campaigns/${id}/resume`)).body).toMatchObject({ status: 'scheduled', paused_from: null });
    const canceled = await user.post(`/api/v1/campaigns/${id}/cancel`);
    expect(canceled.body).toMatchObject({ status: 'canceled', counts: { canceled: 3, sent: 0 } });
    expect((await user.post(`/api/v1/campaigns/${id}/resume`)).body.code).toBe('invalid_state');
    await sse.closed;
    const counts = statuses();
    expect(counts[0]!.status).toBe('draft');
    expect(counts.some((c) => c.status === 'rendering')).toBe(true);
    const done = sse.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ id, name: 'Later', status: 'canceled', counts: { canceled: 3 } });
  }, 180_000);
});
