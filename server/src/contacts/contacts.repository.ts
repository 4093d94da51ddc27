import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ContactListsTable, ContactsTable } from '../db/tables/contacts';
import type { DB } from '../db/types';

export type ContactRow = Selectable<ContactsTable>;
/** A contact with the reason its address is suppressed (unsubscribed, bounced, spamreport), if it is. */
export type ContactWithSuppression = ContactRow & { suppressed: 'unsubscribed' | 'bounced' | 'spamreport' | null };
export type ListRow = Selectable<ContactListsTable>;
export type ListWithCount = ListRow & { member_count: number };
type Q = Kysely<DB> | Transaction<DB>;

/** The columns a contact carries besides its email. */
export interface ContactFields {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  title?: string | null;
  pronunciation?: string | null;
  variables?: Record<string, string>;
}

/** A row to upsert by email: null/absent fields keep what the contact has; variables are merged key by key. */
export interface ContactUpsert extends ContactFields {
  email: string;
}

export interface ContactQuery {
  /** Matches email, first/last name and company, case-insensitively. */
  q?: string;
  listId?: string;
  page: number;
  pageSize: number;
}

/** What one batch upsert did. */
export interface UpsertResult {
  /** email → contact id, for every row of the batch. */
  ids: Map<string, string>;
  inserted: number;
  updated: number;
  unchanged: number;
  /** New memberships of the list (0 without a list). */
  addedToList: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Tenant-scoped queries on contacts, lists and memberships. Every method takes the tenant id. */
export class ContactsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private withSuppression(q: Q = this.db) {
    return q
      .selectFrom('contacts as c')
      .leftJoin('email_suppressions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.email', '=', 'c.email'))
      .selectAll('c')
      .select('s.reason as suppressed');
  }

  async list(tenantId: string, query: ContactQuery): Promise<{ items: ContactWithSuppression[]; total: number }> {
    let base = this.db.selectFrom('contacts as c').where('c.tenant_id', '=', tenantId);
    if (query.listId) {
      const listId = query.listId;
      base = base.where((eb) =>
        eb.exists(
          eb.selectFrom('contact_list_members as m').select(sql`1`.as('one')).where('m.tenant_id', '=', tenantId).where('m.list_id', '=', listId).whereRef('m.contact_id', '=', 'c.id'),
        ),
      );
    }
    const term = query.q?.trim();
    if (term) {
      const like = `%${escapeLike(term.normalize('NFC'))}%`;
      base = base.where((eb) =>
        eb.or([eb('c.email', 'ilike', like), eb('c.first_name', 'ilike', like), eb('c.last_name', 'ilike', like), eb('c.company', 'ilike', like)]),
      );
    }
    const [items, total] = await Promise.all([
      base
        .leftJoin('email_suppressions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.email', '=', 'c.email'))
        .selectAll('c')
        .select('s.reason as suppressed')
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  get(tenantId: string, id: string): Promise<ContactWithSuppression | undefined> {
    return this.withSuppression().where('c.tenant_id', '=', tenantId).where('c.id', '=', id).executeTakeFirst();
  }

  /** The contacts with these ids (any order; ids of other tenants are left out). */
  getMany(tenantId: string, ids: readonly string[]): Promise<ContactWithSuppression[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.withSuppression().where('c.tenant_id', '=', tenantId).where('c.id', 'in', [...ids]).execute();
  }

  getByEmail(tenantId: string, email: string): Promise<ContactWithSuppression | undefined> {
    return this.withSuppression().where('c.tenant_id', '=', tenantId).where('c.email', '=', email).executeTakeFirst();
  }

  /** Inserts one contact; undefined when the tenant already has that email. */
  async insert(tenantId: string, row: ContactUpsert): Promise<ContactRow | undefined> {
    return this.db
      .insertInto('contacts')
      .values({ tenant_id: tenantId, ...row, variables: JSON.stringify(row.variables ?? {}) })
      .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Replaces the given fields (a null clears one; `variables` replaces the whole object). */
  update(tenantId: string, id: string, patch: ContactFields & { email?: string }) {
    const { variables, ...rest } = patch;
    return this.db
      .updateTable('contacts')
      .set({ ...rest, ...(variables ? { variables: JSON.stringify(variables) } : {}), updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The subset of `emails` on the tenant's suppression list, with the reason. */
  async suppressed(tenantId: string, emails: readonly string[], q: Q = this.db): Promise<Map<string, string>> {
    if (emails.length === 0) return new Map();
    const rows = await q.selectFrom('email_suppressions').select(['email', 'reason']).where('tenant_id', '=', tenantId).where('email', 'in', [...emails]).execute();
    return new Map(rows.map((r) => [r.email, r.reason]));
  }

  /**
   * Upserts a batch by email in one short transaction and adds every row to `listId` when given. Empty
   * fields of a row keep the contact's current values; a row that changes nothing counts as unchanged.
   * Emails must be unique within the batch. Callers keep batches ≤ 1,000 rows (9 parameters a row).
   */
  async upsertBatch(tenantId: string, rows: readonly ContactUpsert[], listId: string | null, q?: Transaction<DB>): Promise<UpsertResult> {
    if (rows.length === 0) return { ids: new Map(), inserted: 0, updated: 0, unchanged: 0, addedToList: 0 };
    const run = async (trx: Transaction<DB>): Promise<UpsertResult> => {
      // Rows in email order: two imports touching the same addresses take their row locks in the same order
      // and wait for each other instead of deadlocking.
      const sorted = [...rows].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
      const values = sorted.map((r) => ({
        tenant_id: tenantId,
        email: r.email,
        first_name: r.first_name ?? null,
        last_name: r.last_name ?? null,
        company: r.company ?? null,
        title: r.title ?? null,
        pronunciation: r.pronunciation ?? null,
        variables: JSON.stringify(r.variables ?? {}),
      }));
      const keep = (col: 'first_name' | 'last_name' | 'company' | 'title' | 'pronunciation') => sql<string>`coalesce(excluded.${sql.ref(col)}, contacts.${sql.ref(col)})`;
      // `xmax = 0` is true for a row this statement inserted, false for one it updated.
      const changed = await trx
        .insertInto('contacts')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'email'])
            .doUpdateSet({
              first_name: keep('first_name'),
              last_name: keep('last_name'),
              company: keep('company'),
              title: keep('title'),
              pronunciation: keep('pronunciation'),
              variables: sql`contacts.variables || excluded.variables`,
              updated_at: sql`now()`,
            })
            .where(
              sql<boolean>`(contacts.first_name, contacts.last_name, contacts.company, contacts.title, contacts.pronunciation, contacts.variables)
                is distinct from (coalesce(excluded.first_name, contacts.first_name), coalesce(excluded.last_name, contacts.last_name),
                  coalesce(excluded.company, contacts.company), coalesce(excluded.title, contacts.title),
                  coalesce(excluded.pronunciation, contacts.pronunciation), contacts.variables || excluded.variables)`,
            ),
        )
        .returning(['id', 'email', sql<boolean>`xmax = 0`.as('inserted')])
        .execute();
      const ids = new Map(changed.map((r) => [r.email, r.id]));
      const missing = rows.map((r) => r.email).filter((e) => !ids.has(e));
      if (missing.length) {
        const same = await trx.selectFrom('contacts').select(['id', 'email']).where('tenant_id', '=', tenantId).where('email', 'in', missing).execute();
        for (const r of same) ids.set(r.email, r.id);
      }
      let addedToList = 0;
      if (listId) {
        const added = await trx
          .insertInto('contact_list_members')
          .values([...ids.values()].sort().map((contact_id) => ({ tenant_id: tenantId, list_id: listId, contact_id })))
          .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
          .executeTakeFirst();
        addedToList = Number(added.numInsertedOrUpdatedRows ?? 0);
      }
      const inserted = changed.filter((r) => r.inserted).length;
      return { ids, inserted, updated: changed.length - inserted, unchanged: rows.length - changed.length, addedToList };
    };
    return q ? run(q) : this.db.transaction().execute(run);
  }

  // ── lists ───────────────────────────────────────────────────────────────

  async lists(tenantId: string, page: number, pageSize: number): Promise<{ items: ListWithCount[]; total: number }> {
    const [items, total] = await Promise.all([
      this.db
        .selectFrom('contact_lists as l')
        .selectAll('l')
        .select((eb) =>
          eb
            .selectFrom('contact_list_members as m')
            .select(eb.fn.countAll<number>().as('n'))
            .where('m.tenant_id', '=', tenantId)
            .whereRef('m.list_id', '=', 'l.id')
            .as('member_count'),
        )
        .where('l.tenant_id', '=', tenantId)
        .orderBy('l.created_at', 'desc')
        .orderBy('l.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db.selectFrom('contact_lists').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((l) => ({ ...l, member_count: Number(l.member_count ?? 0) })), total: Number(total.n) };
  }

  getList(tenantId: string, id: string): Promise<ListRow | undefined> {
    return this.db.selectFrom('contact_lists').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** The list with this name, compared case-insensitively. */
  listByName(tenantId: string, name: string): Promise<ListRow | undefined> {
    return this.db
      .selectFrom('contact_lists')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(sql<string>`lower(name)`, '=', sql<string>`lower(${name})`)
      .executeTakeFirst();
  }

  /** Inserts a list; undefined when the tenant has one of that name already. */
  insertList(tenantId: string, row: { name: string; description?: string | null; created_by: string | null }): Promise<ListRow | undefined> {
    return this.db
      .insertInto('contact_lists')
      .values({ tenant_id: tenantId, name: row.name, description: row.description ?? null, created_by: row.created_by })
      .onConflict((oc) => oc.expression(sql`tenant_id, lower(name)`).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  updateList(tenantId: string, id: string, patch: { name?: string; description?: string | null }) {
    return this.db
      .updateTable('contact_lists')
      .set({ ...patch, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Deletes the list and its memberships; the contacts stay. */
  async removeList(tenantId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('contact_lists').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * One page of a list's members in contact-id order, after `afterId` (exclusive): keyset paging that
   * stays fast on any page of a 100,000-contact list. Each row says whether its address is suppressed.
   * With `trx`, inside the caller's transaction.
   */
  listMembers(tenantId: string, listId: string, opts: { afterId?: string | null; limit: number }, trx: Kysely<DB> = this.db): Promise<ContactWithSuppression[]> {
    let q = trx
      .selectFrom('contact_list_members as m')
      .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.contact_id'))
      .leftJoin('email_suppressions as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.email', '=', 'c.email'))
      .selectAll('c')
      .select('s.reason as suppressed')
      .where('m.tenant_id', '=', tenantId)
      .where('m.list_id', '=', listId);
    if (opts.afterId) q = q.where('m.contact_id', '>', opts.afterId);
    return q.orderBy('m.contact_id').limit(opts.limit).execute();
  }

  /** Members of a list; with `excludeSuppressed`, only those whose address may be emailed. */
  async countMembers(tenantId: string, listId: string, opts: { excludeSuppressed?: boolean } = {}): Promise<number> {
    let q = this.db.selectFrom('contact_list_members as m').where('m.tenant_id', '=', tenantId).where('m.list_id', '=', listId);
    if (opts.excludeSuppressed) {
      q = q
        .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.contact_id'))
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('email_suppressions as s').select(sql`1`.as('one')).whereRef('s.tenant_id', '=', 'c.tenant_id').whereRef('s.email', '=', 'c.email'))),
        );
    }
    const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Adds contacts (of this tenant) to a list; returns how many memberships are new. */
  async addMembers(tenantId: string, listId: string, contactIds: readonly string[]): Promise<number> {
    if (contactIds.length === 0) return 0;
    const r = await this.db
      .insertInto('contact_list_members')
      .values(contactIds.map((contact_id) => ({ tenant_id: tenantId, list_id: listId, contact_id })))
      .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }

  async removeMembers(tenantId: string, listId: string, contactIds: readonly string[]): Promise<number> {
    if (contactIds.length === 0) return 0;
    const r = await this.db
      .deleteFrom('contact_list_members')
      .where('tenant_id', '=', tenantId)
      .where('list_id', '=', listId)
      .where('contact_id', 'in', [...contactIds])
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** The ids of the lists a contact belongs to. */
  async listIdsOf(tenantId: string, contactId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('contact_list_members').select('list_id').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
    return rows.map((r) => r.list_id);
  }
}
