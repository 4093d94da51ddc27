import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { LIBRARY } from './templates.library';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachBackend('templates API', (backend) => {
  let env: TestEnv;
  let user: string;
  let admin: string;
  let viewer: string;
  let other: string;

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await env.request(path, { method, token, ...(body === undefined ? {} : jsonBody(body)) });
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Json };
  };
  const builtin = async (key: string, token = user) => {
    const [useCase, , lang] = key.split('.');
    const list = await call('GET', `/api/v1/templates?builtin=true&use_case=${useCase}&language=${lang}`, token);
    const want = LIBRARY.find((t) => t.key === key)!;
    return list.body.items.find((t: Json) => t.name === want.name) as Json;
  };

  beforeAll(async () => {
    env = await createTestEnv(backend);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    await call('POST', '/api/v1/users', admin, { email: 'viewer-templates@demo.com', password: 'Viewer123', role: 'viewer' });
    viewer = await env.login('viewer-templates@demo.com', 'Viewer123');
    const reg = await call('POST', '/api/v1/auth/register', '', { tenant_name: 'Other', domain: 'other-templates.example', email: 'o@other-templates.example', password: 'Sup3rSecret!' });
    expect(reg.status).toBe(201);
    other = await env.login('o@other-templates.example', 'Sup3rSecret!');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('lists the built-in library in every workspace, a new one too, filtered by use case and language', async () => {
    const all = await call('GET', '/api/v1/templates', user);
    expect(all.body.items.filter((t: Json) => t.builtin)).toHaveLength(LIBRARY.length);
    const hrVi = await call('GET', '/api/v1/templates?use_case=hr&language=vi', user);
    expect(hrVi.body.items.map((t: Json) => t.name).sort()).toEqual(['Chào mừng nhân viên mới', 'Thư mời nhận việc']);
    const demo = hrVi.body.items.find((t: Json) => t.name === 'Thư mời nhận việc');
    expect(demo).toMatchObject({ builtin: true, language: 'vi', use_case: 'hr', required_variables: ['first_name'], parts: { reusable: true, shared_variables: [] } });
    expect(demo.variables).toEqual(expect.arrayContaining(['first_name', 'xung_ho', 'role']));
    // The workspace registered after start got its library on first use.
    expect((await call('GET', '/api/v1/templates?builtin=true', other)).body.items).toHaveLength(LIBRARY.length);
    expect((await call('GET', '/api/v1/templates?use_case=nope', user)).status).toBe(422);
  });

  it('seeds idempotently and rewrites built-ins whose version rose, leaving own templates alone', async () => {
    const { db } = env.container;
    const before = await db.selectFrom('templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await env.container.templates.ensureAll()).toBe(0);
    const t = await builtin('sales.cold_outreach.en');
    await db.updateTable('templates').set({ script: 'stale text', builtin_version: 0 }).where('id', '=', t.id).execute();
    expect(await env.container.templates.ensureAll()).toBe(1);
    expect((await call('GET', `/api/v1/templates/${t.id}`, user)).body.script).toBe(LIBRARY.find((x) => x.key === 'sales.cold_outreach.en')!.script);
    const after = await db.selectFrom('templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('keeps built-ins read-only (403 template_read_only) and duplicates one into an editable own template', async () => {
    const t = await builtin('real_estate.property_tour.vi');
    const patch = await call('PATCH', `/api/v1/templates/${t.id}`, admin, { name: 'Mine now' });
    expect(patch).toMatchObject({ status: 403, body: { code: 'template_read_only' } });
    expect((await call('DELETE', `/api/v1/templates/${t.id}`, admin)).body.code).toBe('template_read_only');

    const copy = await call('POST', `/api/v1/templates/${t.id}/duplicate`, user);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ builtin: false, name: 'Mời đi xem nhà (copy)', script: t.script, use_case: 'real_estate', language: 'vi' });
    const edited = await call('PATCH', `/api/v1/templates/${copy.body.id}`, user, { script: `${t.script} Hẹn gặp lại!` });
    expect(edited.body.script.endsWith('Hẹn gặp lại!')).toBe(true);
    expect((await call('GET', `/api/v1/templates/${t.id}`, user)).body.script).toBe(t.script);
    const named = await call('POST', `/api/v1/templates/${t.id}/duplicate`, user, { name: 'Xem nhà Quận 7' });
    expect(named.body.name).toBe('Xem nhà Quận 7');
  });

  it('creates, updates and deletes own templates; only the author or an admin changes one', async () => {
    const created = await call('POST', '/api/v1/templates', user, {
      name: 'Renewal',
      language: 'en',
      script: 'Hi {{first_name}}, your plan at {{company|your company}} renews soon. Here is what is new this year.',
      subject: 'Renewal for {{company|you}}',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      use_case: 'custom',
      body: '{{video}}',
      builtin: false,
      variables: ['first_name', 'company'],
      required_variables: ['first_name'],
      parts: { personal: 'Hi {{first_name}}, your plan at {{company|your company}} renews soon.', shared: 'Here is what is new this year.', reusable: true },
    });
    const id = created.body.id;
    expect((await call('POST', '/api/v1/templates', user, { name: 'x', language: 'en', script: '  ', subject: 's' })).status).toBe(422);
    expect((await call('PATCH', `/api/v1/templates/${id}`, admin, { use_case: 'sales' })).body.use_case).toBe('sales');
    const colleague = await env.login(DEMO.user.email, DEMO.user.password);
    expect((await call('PATCH', `/api/v1/templates/${id}`, colleague, { name: 'Renewal 2' })).status).toBe(200);
    // Another user of the workspace (not the author) may read and duplicate, not change.
    await call('POST', '/api/v1/users', admin, { email: 'user2-templates@demo.com', password: 'User2pass1', role: 'user' });
    const user2 = await env.login('user2-templates@demo.com', 'User2pass1');
    expect((await call('GET', `/api/v1/templates/${id}`, user2)).status).toBe(200);
    expect((await call('PATCH', `/api/v1/templates/${id}`, user2, { name: 'Hijack' })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/templates/${id}`, user2)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/templates/${id}`, user)).status).toBe(204);
    expect((await call('GET', `/api/v1/templates/${id}`, user)).status).toBe(404);
  });

  it("previews a template for a contact: its fields and custom columns, inline values over them, {{video}} kept, missing variables listed, and what TTS will say", async () => {
    const contact = await call('POST', '/api/v1/contacts', user, {
      email: 'tuan@example.vn',
      first_name: 'Tuấn',
      company: 'Hải Âu',
      pronunciation: 'Twan',
      variables: { xung_ho: 'anh', property: 'căn hộ Sala' },
    });
    await call('POST', '/api/v1/pronunciations', user, { word: 'Sala', say_as: 'Xa La', language: 'vi' });
    const t = await builtin('real_estate.property_tour.vi');
    const p = await call('POST', `/api/v1/templates/${t.id}/preview`, viewer, { contact_id: contact.body.id });
    expect(p.status).toBe(200);
    expect(p.body.script.startsWith('Chào anh Tuấn, cảm ơn anh đã quan tâm đến căn hộ Sala.')).toBe(true);
    expect(p.body.spoken_script.startsWith('Chào anh Twan, cảm ơn anh đã quan tâm đến căn hộ Xa La.')).toBe(true);
    expect(p.body.parts).toMatchObject({ personal: 'Chào anh Tuấn, cảm ơn anh đã quan tâm đến căn hộ Sala.', reusable: true });
    expect(p.body.subject).toBe('Mời anh Tuấn xem căn hộ Sala qua video');
    expect(p.body.body).toContain('\n\n{{video}}\n\n');
    expect(p.body).toMatchObject({ missing: [], poster_caption: 'căn hộ Sala cho anh Tuấn', contact_id: contact.body.id });

    const inline = await call('POST', `/api/v1/templates/${t.id}/preview`, user, { contact_id: contact.body.id, values: { xung_ho: 'chị', first_name: 'Lan' } });
    expect(inline.body.script.startsWith('Chào chị Lan,')).toBe(true);

    const none = await call('POST', `/api/v1/templates/${t.id}/preview`, user, {});
    expect(none.body.missing).toEqual(['first_name']);
    expect(none.body.missing_by_field.script).toEqual(['first_name']);
    expect(none.body.script.startsWith('Chào anh chị, cảm ơn anh chị đã quan tâm đến căn nhà này.')).toBe(true);

    const foreign = await call('POST', `/api/v1/templates/${t.id}/preview`, other, { contact_id: contact.body.id });
    expect(foreign.status).toBe(404);
    const theirs = await builtin('real_estate.property_tour.vi', other);
    expect((await call('POST', `/api/v1/templates/${theirs.id}/preview`, other, { contact_id: contact.body.id })).status).toBe(404);
  });

  it('lets a viewer list, read and preview, and nothing else', async () => {
    const t = await builtin('sales.follow_up.en', viewer);
    expect((await call('GET', `/api/v1/templates/${t.id}`, viewer)).status).toBe(200);
    expect((await call('POST', `/api/v1/templates/${t.id}/preview`, viewer, { values: { first_name: 'Ann' } })).status).toBe(200);
    expect((await call('POST', '/api/v1/templates', viewer, { name: 'v', language: 'en', script: 'Hi.', subject: 's' })).status).toBe(403);
    expect((await call('POST', `/api/v1/templates/${t.id}/duplicate`, viewer)).status).toBe(403);
    const own = await call('POST', '/api/v1/templates', user, { name: 'Owned', language: 'en', script: 'Hi {{first_name}}.', subject: 's' });
    expect((await call('PATCH', `/api/v1/templates/${own.body.id}`, viewer, { name: 'v' })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/templates/${own.body.id}`, viewer)).status).toBe(403);
  });

  it("keeps workspaces apart: another workspace's own template is 404 everywhere, and its list shows none of ours", async () => {
    const own = await call('POST', '/api/v1/templates', user, { name: 'Private', language: 'en', script: 'Hi {{first_name}}.', subject: 's' });
    for (const [method, path, body] of [
      ['GET', `/api/v1/templates/${own.body.id}`],
      ['PATCH', `/api/v1/templates/${own.body.id}`, { name: 'x' }],
      ['DELETE', `/api/v1/templates/${own.body.id}`],
      ['POST', `/api/v1/templates/${own.body.id}/duplicate`, {}],
      ['POST', `/api/v1/templates/${own.body.id}/preview`, {}],
    ] as const) {
      expect(`${method} ${path} ${(await call(method, path, other, body)).status}`).toBe(`${method} ${path} 404`);
    }
    expect((await call('GET', '/api/v1/templates?builtin=false', other)).body.items).toEqual([]);
    const doc = (await (await env.request('/openapi.json')).json()) as Json;
    for (const p of ['/api/v1/templates', '/api/v1/templates/{id}', '/api/v1/templates/{id}/duplicate', '/api/v1/templates/{id}/preview', '/api/v1/pronunciations', '/api/v1/pronunciations/{id}']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
