import { ImportForm } from '@mvs/shared/schemas/contacts';
import { AppError } from '../errors';
import { router } from '../http/app-factory';
import type { ContactWithSuppression, ListWithCount } from './contacts.repository';
import * as routes from './contacts.routes';
import { readOrWrite } from './write-access';

/** The API shape of a contact row. */
export const toContactDto = (c: ContactWithSuppression & { list_ids?: string[] }) => ({
  id: c.id,
  email: c.email,
  first_name: c.first_name,
  last_name: c.last_name,
  company: c.company,
  title: c.title,
  pronunciation: c.pronunciation,
  variables: c.variables ?? {},
  suppressed: c.suppressed,
  ...(c.list_ids ? { list_ids: c.list_ids } : {}),
  created_at: c.created_at.toISOString(),
  updated_at: new Date(c.updated_at).toISOString(),
});

const toListDto = (l: ListWithCount) => ({
  id: l.id,
  name: l.name,
  description: l.description,
  member_count: l.member_count,
  created_at: l.created_at.toISOString(),
  updated_at: new Date(l.updated_at).toISOString(),
});

const app = router();
app.openAPIRegistry.register('ImportForm', ImportForm);
for (const p of ['/api/v1/contacts', '/api/v1/contacts/*', '/api/v1/lists', '/api/v1/lists/*']) app.use(p, readOrWrite());

export const contactsRouter = app
  .openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    const r = await c.var.container.contacts.list(c.var.principal, q);
    return c.json({ items: r.items.map(toContactDto), total: r.total, page: q.page, page_size: q.page_size }, 200);
  })
  .openapi(routes.create, async (c) => c.json(toContactDto(await c.var.container.contacts.create(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.importCsv, async (c) => {
    const { status, report } = await c.var.container.contactImport.importRequest(c.var.principal, c.req.raw);
    if (status === 422) {
      const first = report.refused[0];
      const why = report.total_rows === 0 ? 'the file has a header row but no contacts' : `none of its ${report.total_rows} rows can be imported (row ${first?.row}: ${first?.message})`;
      throw new AppError(422, 'no_valid_rows', `Nothing was imported: ${why}`, report);
    }
    return c.json(report, 200);
  })
  .openapi(routes.get, async (c) => c.json(toContactDto(await c.var.container.contacts.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) =>
    c.json(toContactDto(await c.var.container.contacts.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .openapi(routes.remove, async (c) => {
    await c.var.container.contacts.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.listLists, async (c) => {
    const { page, page_size } = c.req.valid('query');
    const r = await c.var.container.contacts.lists(c.var.principal, page, page_size);
    return c.json({ items: r.items.map(toListDto), total: r.total, page, page_size }, 200);
  })
  .openapi(routes.createList, async (c) => c.json(toListDto(await c.var.container.contacts.createList(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.getList, async (c) => c.json(toListDto(await c.var.container.contacts.getList(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.updateList, async (c) =>
    c.json(toListDto(await c.var.container.contacts.updateList(c.var.principal, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .openapi(routes.removeList, async (c) => {
    await c.var.container.contacts.removeList(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.members, async (c) => {
    const r = await c.var.container.contacts.members(c.var.principal, c.req.valid('param').id, c.req.valid('query'));
    return c.json({ ...r, items: r.items.map(toContactDto) }, 200);
  })
  .openapi(routes.addMembers, async (c) =>
    c.json(await c.var.container.contacts.addMembers(c.var.principal, c.req.valid('param').id, c.req.valid('json').contact_ids), 200),
  )
  .openapi(routes.removeMembers, async (c) =>
    c.json(await c.var.container.contacts.removeMembers(c.var.principal, c.req.valid('param').id, c.req.valid('json').contact_ids), 200),
  )
  .openapi(routes.removeMember, async (c) => {
    const { id, contact_id } = c.req.valid('param');
    await c.var.container.contacts.removeMembers(c.var.principal, id, [contact_id]);
    return c.body(null, 204);
  });
