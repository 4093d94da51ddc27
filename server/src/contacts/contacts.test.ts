import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, type TestEnv } from '../../test/harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachBackend('contacts and lists API', (backend) => {
  let env: TestEnv;
  let user: string;
  let viewer: string;
  let other: string;

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await env.request(path, { method, token, ...(body === undefined ? {} : jsonBody(body)) });
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Json };
  };

  beforeAll(async () => {
    env = await createTestEnv(backend);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    await call('POST', '/api/v1/users', admin, { email: 'viewer-contacts@demo.com', password: 'Viewer123', role: 'viewer' });
    viewer = await env.login('viewer-contacts@demo.com', 'Viewer123');
    const reg = await call('POST', '/api/v1/auth/register', '', { tenant_name: 'Other', domain: 'other-contacts.example', email: 'o@other-contacts.example', password: 'Sup3rSecret!' });
    expect(reg.status).toBe(201);
    other = await env.login('o@other-contacts.example', 'Sup3rSecret!');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('creates, reads, updates and deletes a contact; emails are unique per workspace, lower-cased and NFC', async () => {
    const list = await call('POST', '/api/v1/lists', user, { name: 'Leads' });
    expect(list.status).toBe(201);
    const created = await call('POST', '/api/v1/contacts', user, {
      email: ' Lan.Tran@Example.VN ',
      first_name: 'Lan'.normalize('NFD'),
      last_name: 'Trần'.normalize('NFD'),
      variables: { city: 'Huế' },
      list_ids: [list.body.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'lan.tran@example.vn', last_name: 'Trần', variables: { city: 'Huế' }, suppressed: null, list_ids: [list.body.id] });
    expect((await call('POST', '/api/v1/contacts', user, { email: 'LAN.TRAN@example.vn' })).status).toBe(409);
    expect((await call('POST', '/api/v1/contacts', user, { email: 'not an email' })).body.code).toBe('validation_failed');
    expect((await call('POST', '/api/v1/contacts', user, { email: 'x@example.com', variables: { 'Bad Key': 'v' } })).status).toBe(422);

    const id = created.body.id;
    const patched = await call('PATCH', `/api/v1/contacts/${id}`, user, { company: 'Sông Hàn', title: null, pronunciation: 'Lahn' });
    expect(patched.body).toMatchObject({ company: 'Sông Hàn', pronunciation: 'Lahn', first_name: 'Lan' });
    const dup = await call('POST', '/api/v1/contacts', user, { email: 'second@example.vn' });
    expect((await call('PATCH', `/api/v1/contacts/${dup.body.id}`, user, { email: 'lan.tran@example.vn' })).status).toBe(409);

    expect((await call('GET', `/api/v1/contacts/${id}`, user)).body.list_ids).toEqual([list.body.id]);
    expect((await call('DELETE', `/api/v1/contacts/${id}`, user)).status).toBe(204);
    expect((await call('GET', `/api/v1/contacts/${id}`, user)).status).toBe(404);
    expect((await call('GET', `/api/v1/lists/${list.body.id}`, user)).body.member_count).toBe(0);
  });

  it('refuses to add a suppressed address, and shows a contact suppressed after it unsubscribed', async () => {
    const { db } = env.container;
    const tenantId = (await db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
    await db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'bounced@example.com', reason: 'bounced' }).execute();
    const refused = await call('POST', '/api/v1/contacts', user, { email: 'Bounced@example.com' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'contact_suppressed', details: { reason: 'bounced' } } });

    const c = await call('POST', '/api/v1/contacts', user, { email: 'later@example.com' });
    await db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'later@example.com', reason: 'unsubscribed' }).execute();
    expect((await call('GET', `/api/v1/contacts/${c.body.id}`, user)).body.suppressed).toBe('unsubscribed');
    const list = await call('POST', '/api/v1/lists', user, { name: 'No suppressed' });
    const add = await call('POST', `/api/v1/lists/${list.body.id}/members`, user, { contact_ids: [c.body.id] });
    expect(add.body).toEqual({ changed: 0, unchanged: 0, refused: [{ contact_id: c.body.id, reason: 'suppressed' }] });
  });

  it('searches and pages contacts, filters by list, and pages members by cursor', async () => {
    const list = await call('POST', '/api/v1/lists', user, { name: 'Paged', description: 'twelve people' });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = await call('POST', '/api/v1/contacts', user, { email: `page${i}@paging.example`, company: i % 2 ? 'Odd Ltd' : 'Even Co' });
      ids.push(c.body.id);
    }
    const add = await call('POST', `/api/v1/lists/${list.body.id}/members`, user, { contact_ids: [...ids, ids[0]] });
    expect(add.body).toEqual({ changed: 12, unchanged: 0, refused: [] });
    expect((await call('POST', `/api/v1/lists/${list.body.id}/members`, user, { contact_ids: ids.slice(0, 2) })).body).toEqual({ changed: 0, unchanged: 2, refused: [] });

    const odd = await call('GET', '/api/v1/contacts?q=odd%20ltd&page_size=4&page=2', user);
    expect(odd.body).toMatchObject({ total: 6, page: 2, page_size: 4 });
    expect(odd.body.items).toHaveLength(2);
    expect((await call('GET', `/api/v1/contacts?list_id=${list.body.id}&page_size=100`, user)).body.total).toBe(12);

    const seen: string[] = [];
    let after = '';
    for (let n = 0; n < 5; n++) {
      const page = await call('GET', `/api/v1/lists/${list.body.id}/members?limit=5${after ? `&after=${after}` : ''}`, user);
      expect(page.body.total).toBe(12);
      seen.push(...page.body.items.map((c: Json) => c.id));
      if (!page.body.next_after) break;
      after = page.body.next_after;
    }
    expect(seen.sort()).toEqual([...ids].sort());

    const removed = await call('DELETE', `/api/v1/lists/${list.body.id}/members`, user, { contact_ids: ids.slice(0, 3) });
    expect(removed.body).toEqual({ changed: 3, unchanged: 0, refused: [] });
    expect((await call('DELETE', `/api/v1/lists/${list.body.id}/members/${ids[3]}`, user)).status).toBe(204);
    expect((await call('GET', `/api/v1/lists/${list.body.id}`, user)).body.member_count).toBe(8);

    expect((await call('POST', '/api/v1/lists', user, { name: 'PAGED' })).status).toBe(409);
    const renamed = await call('PATCH', `/api/v1/lists/${list.body.id}`, user, { name: 'Paged (renamed)' });
    expect(renamed.body).toMatchObject({ name: 'Paged (renamed)', description: 'twelve people', member_count: 8 });
    expect((await call('DELETE', `/api/v1/lists/${list.body.id}`, user)).status).toBe(204);
    expect((await call('GET', `/api/v1/contacts/${ids[5]}`, user)).status).toBe(200);
  });

  it('lets a viewer read contacts and lists but change nothing (403 on every write)', async () => {
    const c = await call('POST', '/api/v1/contacts', user, { email: 'viewer-target@example.com' });
    const l = await call('POST', '/api/v1/lists', user, { name: 'Viewer target' });
    expect((await call('GET', '/api/v1/contacts', viewer)).status).toBe(200);
    expect((await call('GET', `/api/v1/contacts/${c.body.id}`, viewer)).status).toBe(200);
    expect((await call('GET', '/api/v1/lists', viewer)).status).toBe(200);
    expect((await call('GET', `/api/v1/lists/${l.body.id}/members`, viewer)).status).toBe(200);
    const writes: [string, string, unknown?][] = [
      ['POST', '/api/v1/contacts', { email: 'v2@example.com' }],
      ['PATCH', `/api/v1/contacts/${c.body.id}`, { first_name: 'X' }],
      ['DELETE', `/api/v1/contacts/${c.body.id}`],
      ['POST', '/api/v1/lists', { name: 'V' }],
      ['PATCH', `/api/v1/lists/${l.body.id}`, { name: 'V' }],
      ['DELETE', `/api/v1/lists/${l.body.id}`],
      ['POST', `/api/v1/lists/${l.body.id}/members`, { contact_ids: [c.body.id] }],
      ['DELETE', `/api/v1/lists/${l.body.id}/members`, { contact_ids: [c.body.id] }],
      ['DELETE', `/api/v1/lists/${l.body.id}/members/${c.body.id}`],
    ];
    for (const [method, path, body] of writes) {
      const r = await call(method, path, viewer, body);
      expect(`${method} ${path} ${r.status}`).toBe(`${method} ${path} 403`);
    }
    expect((await call('GET', '/api/v1/contacts', '')).status).toBe(401);
  });

  it("keeps workspaces apart: another workspace's contact or list is 404 on every route", async () => {
    const c = await call('POST', '/api/v1/contacts', user, { email: 'private@example.com' });
    const l = await call('POST', '/api/v1/lists', user, { name: 'Private list' });
    await call('POST', `/api/v1/lists/${l.body.id}/members`, user, { contact_ids: [c.body.id] });
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/v1/contacts/${c.body.id}`],
      ['PATCH', `/api/v1/contacts/${c.body.id}`, { first_name: 'Stolen' }],
      ['DELETE', `/api/v1/contacts/${c.body.id}`],
      ['GET', `/api/v1/lists/${l.body.id}`],
      ['PATCH', `/api/v1/lists/${l.body.id}`, { name: 'Stolen' }],
      ['DELETE', `/api/v1/lists/${l.body.id}`],
      ['GET', `/api/v1/lists/${l.body.id}/members`],
      ['POST', `/api/v1/lists/${l.body.id}/members`, { contact_ids: [c.body.id] }],
      ['DELETE', `/api/v1/lists/${l.body.id}/members`, { contact_ids: [c.body.id] }],
      ['DELETE', `/api/v1/lists/${l.body.id}/members/${c.body.id}`],
    ];
    for (const [method, path, body] of routes) {
      const r = await call(method, path, other, body);
      expect(`${method} ${path} ${r.status}`).toBe(`${method} ${path} 404`);
    }
    const theirs = await call('POST', '/api/v1/lists', other, { name: 'Theirs' });
    const add = await call('POST', `/api/v1/lists/${theirs.body.id}/members`, other, { contact_ids: [c.body.id] });
    expect(add.body.refused).toEqual([{ contact_id: c.body.id, reason: 'not_found' }]);
    expect((await call('GET', '/api/v1/contacts?q=private', other)).body.total).toBe(0);
    expect((await call('GET', `/api/v1/contacts/${c.body.id}`, user)).body).toMatchObject({ first_name: null, list_ids: [l.body.id] });
  });

  it('documents every contacts and lists route in OpenAPI, the import form with its mapping field included', async () => {
    const doc = (await (await env.request('/openapi.json')).json()) as Json;
    for (const p of ['/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/contacts/import', '/api/v1/lists', '/api/v1/lists/{id}', '/api/v1/lists/{id}/members', '/api/v1/lists/{id}/members/{contact_id}']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/api/v1/contacts/import'].post.requestBody.content['multipart/form-data'].schema).toEqual({ $ref: '#/components/schemas/ImportForm' });
    expect(Object.keys(doc.components.schemas.ImportForm.properties)).toEqual(['file', 'list_id', 'list_name', 'mapping', 'encoding', 'delimiter']);
    expect(doc.components.schemas.ImportReport.properties.refused).toBeDefined();
  });
});
