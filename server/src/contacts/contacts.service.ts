import type { AuditRepository } from '../audit/audit.repository';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { ContactFields, ContactsRepository, ContactWithSuppression, ListRow, ListWithCount } from './contacts.repository';

export interface CreateContact extends ContactFields {
  email: string;
  list_ids?: string[];
}

const suppressedError = (email: string, reason: string) =>
  new AppError(422, 'contact_suppressed', `${email} is on the suppression list (${reason}); it cannot be added as a contact`, { email, reason });

/** Contacts and lists of the principal's tenant; the suppression list always wins over adding an address. */
export class ContactsService {
  constructor(
    private readonly repo: ContactsRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(p: Principal, q: { q?: string; list_id?: string; page: number; page_size: number }) {
    return this.repo.list(p.tenantId, { q: q.q, listId: q.list_id, page: q.page, pageSize: q.page_size });
  }

  async get(p: Principal, id: string): Promise<ContactWithSuppression & { list_ids: string[] }> {
    const c = await this.repo.get(p.tenantId, id);
    if (!c) throw notFound('Contact', id);
    return { ...c, list_ids: await this.repo.listIdsOf(p.tenantId, id) };
  }

  async create(p: Principal, input: CreateContact) {
    const { list_ids, ...fields } = input;
    const lists = await this.requireLists(p, list_ids ?? []);
    const why = (await this.repo.suppressed(p.tenantId, [fields.email])).get(fields.email);
    if (why) throw suppressedError(fields.email, why);
    const row = await this.repo.insert(p.tenantId, fields);
    if (!row) throw new AppError(409, 'conflict', `A contact with the email ${fields.email} exists already`, { email: fields.email });
    for (const l of lists) await this.repo.addMembers(p.tenantId, l.id, [row.id]);
    return this.get(p, row.id);
  }

  async update(p: Principal, id: string, patch: ContactFields & { email?: string }) {
    const current = await this.repo.get(p.tenantId, id);
    if (!current) throw notFound('Contact', id);
    if (patch.email && patch.email !== current.email) {
      const why = (await this.repo.suppressed(p.tenantId, [patch.email])).get(patch.email);
      if (why) throw suppressedError(patch.email, why);
      const other = await this.repo.getByEmail(p.tenantId, patch.email);
      if (other) throw new AppError(409, 'conflict', `A contact with the email ${patch.email} exists already`, { email: patch.email, contact_id: other.id });
    }
    await this.repo.update(p.tenantId, id, patch).catch((e: unknown) => {
      // Two requests renaming to the same address at once: the unique constraint decides.
      if ((e as { code?: string }).code === '23505') throw new AppError(409, 'conflict', `A contact with the email ${patch.email} exists already`);
      throw e;
    });
    return this.get(p, id);
  }

  async remove(p: Principal, id: string): Promise<void> {
    if (!(await this.repo.remove(p.tenantId, id))) throw notFound('Contact', id);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'contact.delete', targetType: 'contact', targetId: id });
  }

  // ── lists ─────────────────────────────────────────────────────────────

  lists(p: Principal, page: number, pageSize: number) {
    return this.repo.lists(p.tenantId, page, pageSize);
  }

  async getList(p: Principal, id: string): Promise<ListWithCount> {
    const l = await this.repo.getList(p.tenantId, id);
    if (!l) throw notFound('List', id);
    return { ...l, member_count: await this.repo.countMembers(p.tenantId, id) };
  }

  async createList(p: Principal, input: { name: string; description?: string | null }): Promise<ListWithCount> {
    const l = await this.repo.insertList(p.tenantId, { ...input, created_by: p.userId });
    if (!l) throw new AppError(409, 'conflict', `A list named "${input.name}" exists already`);
    return { ...l, member_count: 0 };
  }

  async updateList(p: Principal, id: string, patch: { name?: string; description?: string | null }): Promise<ListWithCount> {
    if (patch.name) {
      const other = await this.repo.listByName(p.tenantId, patch.name);
      if (other && other.id !== id) throw new AppError(409, 'conflict', `A list named "${patch.name}" exists already`);
    }
    const l = await this.repo.updateList(p.tenantId, id, patch);
    if (!l) throw notFound('List', id);
    return this.getList(p, id);
  }

  async removeList(p: Principal, id: string): Promise<void> {
    if (!(await this.repo.removeList(p.tenantId, id))) throw notFound('List', id);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'contact_list.delete', targetType: 'contact_list', targetId: id });
  }

  async members(p: Principal, listId: string, q: { after?: string; limit: number }) {
    await this.getList(p, listId);
    const [items, total] = await Promise.all([
      this.repo.listMembers(p.tenantId, listId, { afterId: q.after ?? null, limit: q.limit }),
      this.repo.countMembers(p.tenantId, listId),
    ]);
    return { items, total, next_after: items.length === q.limit ? items.at(-1)!.id : null };
  }

  /** Adds contacts to a list: ids of other tenants are refused as not_found, suppressed contacts as suppressed. */
  async addMembers(p: Principal, listId: string, ids: string[]) {
    await this.getList(p, listId);
    const unique = [...new Set(ids)];
    const found = new Map((await this.repo.getMany(p.tenantId, unique)).map((c) => [c.id, c]));
    const refused: { contact_id: string; reason: 'not_found' | 'suppressed' }[] = [];
    const ok: string[] = [];
    for (const id of unique) {
      const c = found.get(id);
      if (!c) refused.push({ contact_id: id, reason: 'not_found' });
      else if (c.suppressed) refused.push({ contact_id: id, reason: 'suppressed' });
      else ok.push(id);
    }
    const changed = await this.repo.addMembers(p.tenantId, listId, ok);
    return { changed, unchanged: ok.length - changed, refused };
  }

  async removeMembers(p: Principal, listId: string, ids: string[]) {
    await this.getList(p, listId);
    const unique = [...new Set(ids)];
    const changed = await this.repo.removeMembers(p.tenantId, listId, unique);
    return { changed, unchanged: unique.length - changed, refused: [] };
  }

  private async requireLists(p: Principal, ids: string[]): Promise<ListRow[]> {
    const out: ListRow[] = [];
    for (const id of new Set(ids)) {
      const l = await this.repo.getList(p.tenantId, id);
      if (!l) throw notFound('List', id);
      out.push(l);
    }
    return out;
  }
}
