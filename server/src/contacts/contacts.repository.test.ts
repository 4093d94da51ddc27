import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../test/harness';
import { ContactsRepository } from './contacts.repository';
import { templateValuesFor, contactPronunciations } from './template-values';

describeEachBackend('contacts repository', (backend) => {
  let env: TestEnv;
  let repo: ContactsRepository;
  let tenantId: string;
  let otherTenant: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    repo = new ContactsRepository(env.container.db);
    tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
    otherTenant = (await env.container.db.insertInto('tenants').values({ name: 'Other', domain: 'other-contacts.test' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await env?.close();
  });

  it('upserts a batch by email: inserts new rows, updates changed ones, keeps values a row leaves empty, counts unchanged rows', async () => {
    const list = (await repo.insertList(tenantId, { name: 'Batch', created_by: null }))!;
    const first = await repo.upsertBatch(tenantId, [
      { email: 'an@example.com', first_name: 'An', company: 'Acme', variables: { city: 'Hà Nội' } },
      { email: 'binh@example.com', first_name: 'Bình' },
    ], list.id);
    expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, addedToList: 2 });

    const second = await repo.upsertBatch(tenantId, [
      { email: 'an@example.com', first_name: null, company: 'Acme Corp', variables: { plan: 'pro' } },
      { email: 'binh@example.com', first_name: 'Bình' },
      { email: 'chi@example.com', first_name: 'Chi' },
    ], list.id);
    expect(second).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, addedToList: 1 });
    expect(second.ids.size).toBe(3);

    const an = (await repo.getByEmail(tenantId, 'an@example.com'))!;
    expect(an).toMatchObject({ first_name: 'An', company: 'Acme Corp', variables: { city: 'Hà Nội', plan: 'pro' }, suppressed: null });
    expect(await repo.countMembers(tenantId, list.id)).toBe(3);
  });

  it('pages a list by keyset in contact-id order, and counts members without the suppressed ones', async () => {
    const list = (await repo.insertList(tenantId, { name: 'Paging', created_by: null }))!;
    const rows = Array.from({ length: 25 }, (_, i) => ({ email: `p${i}@example.com`, first_name: `P${i}` }));
    await repo.upsertBatch(tenantId, rows, list.id);
    await env.container.db.insertInto('email_suppressions').values({ tenant_id: tenantId, email: 'p3@example.com', reason: 'unsubscribed' }).execute();

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await repo.listMembers(tenantId, list.id, { afterId: after, limit: 10 });
      if (page.length === 0) break;
      seen.push(...page.map((c) => c.id));
      after = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(25);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(25);
    const p3 = (await repo.listMembers(tenantId, list.id, { limit: 100 })).find((c) => c.email === 'p3@example.com')!;
    expect(p3.suppressed).toBe('unsubscribed');
    expect(await repo.countMembers(tenantId, list.id)).toBe(25);
    expect(await repo.countMembers(tenantId, list.id, { excludeSuppressed: true })).toBe(24);
  });

  it("keeps tenants apart: another tenant sees none of the contacts, and the database refuses a membership across tenants", async () => {
    const list = (await repo.insertList(tenantId, { name: 'Mine', created_by: null }))!;
    const { ids } = await repo.upsertBatch(tenantId, [{ email: 'secret@example.com' }], list.id);
    const id = ids.get('secret@example.com')!;
    expect(await repo.get(otherTenant, id)).toBeUndefined();
    expect(await repo.getByEmail(otherTenant, 'secret@example.com')).toBeUndefined();
    expect((await repo.list(otherTenant, { page: 1, pageSize: 100 })).total).toBe(0);
    expect(await repo.listMembers(otherTenant, list.id, { limit: 10 })).toEqual([]);
    expect(await repo.countMembers(otherTenant, list.id)).toBe(0);
    const theirs = (await repo.insertList(otherTenant, { name: 'Theirs', created_by: null }))!;
    await expect(repo.addMembers(otherTenant, theirs.id, [id])).rejects.toThrow();
    // The same email is a separate contact in another tenant.
    expect((await repo.upsertBatch(otherTenant, [{ email: 'secret@example.com' }], null)).inserted).toBe(1);
  });

  it('finds lists by name case-insensitively and refuses a second list of the same name', async () => {
    await repo.insertList(tenantId, { name: 'Khách hàng VIP', created_by: null });
    expect((await repo.listByName(tenantId, 'khách hàng vip'))?.name).toBe('Khách hàng VIP');
    expect(await repo.insertList(tenantId, { name: 'KHÁCH HÀNG VIP', created_by: null })).toBeUndefined();
    expect(await repo.listByName(otherTenant, 'Khách hàng VIP')).toBeUndefined();
  });

  it('searches email, names and company', async () => {
    await repo.upsertBatch(tenantId, [{ email: 'minh.nguyen@example.vn', first_name: 'Minh', last_name: 'Nguyễn', company: 'Công ty Sao Mai' }], null);
    const hit = await repo.list(tenantId, { q: 'sao mai', page: 1, pageSize: 10 });
    expect(hit.items.map((c) => c.email)).toEqual(['minh.nguyen@example.vn']);
    expect((await repo.list(tenantId, { q: '100%_', page: 1, pageSize: 10 })).total).toBe(0);
  });
});

it('templateValuesFor gives the standard fields over custom variables and leaves blanks out', () => {
  const values = templateValuesFor({
    email: 'an@example.com',
    first_name: 'An',
    last_name: 'Trần',
    company: ' ',
    title: null,
    variables: { first_name: 'ignored', city: 'Huế', empty: '' },
  });
  expect(values).toEqual({ email: 'an@example.com', first_name: 'An', last_name: 'Trần', city: 'Huế', full_name: 'An Trần' });
});

it('contactPronunciations reads pairs, or plain text as the first name', () => {
  expect(contactPronunciations({ first_name: 'Nguyễn', pronunciation: 'Nwin' })).toEqual({ Nguyễn: 'Nwin' });
  expect(contactPronunciations({ first_name: 'An', pronunciation: 'Nguyễn=Nwin; Siobhan: Shivawn' })).toEqual({ Nguyễn: 'Nwin', Siobhan: 'Shivawn' });
  expect(contactPronunciations({ first_name: null, pronunciation: 'Nwin' })).toEqual({});
  expect(contactPronunciations({ first_name: 'An', pronunciation: '  ' })).toEqual({});
});
