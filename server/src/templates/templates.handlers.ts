import { readOrWrite } from '../contacts/write-access';
import { router } from '../http/app-factory';
import type { TemplateRow } from './templates.repository';
import * as routes from './templates.routes';
import { describeTemplate } from './templates.service';

/** The API shape of a template row, with its variables and script parts. */
export const toTemplateDto = (t: TemplateRow) => ({
  id: t.id,
  use_case: t.use_case,
  name: t.name,
  description: t.description,
  language: t.language,
  script: t.script,
  subject: t.subject,
  body: t.body,
  poster_caption: t.poster_caption,
  builtin: t.builtin,
  ...describeTemplate(t),
  created_by: t.created_by,
  created_at: t.created_at.toISOString(),
  updated_at: new Date(t.updated_at).toISOString(),
});

const app = router();
// A preview only computes: viewers may use it.
const guard = readOrWrite([/^\/api\/v1\/templates\/[^/]+\/preview\/?$/]);
app.use('/api/v1/templates', guard);
app.use('/api/v1/templates/*', guard);

export const templatesRouter = app
  .openapi(routes.list, async (c) => c.json({ items: (await c.var.container.templates.list(c.var.principal, c.req.valid('query'))).map(toTemplateDto) }, 200))
  .openapi(routes.create, async (c) => c.json(toTemplateDto(await c.var.container.templates.create(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.get, async (c) => c.json(toTemplateDto(await c.var.container.templates.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) =>
    c.json(toTemplateDto(await c.var.container.templates.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .openapi(routes.remove, async (c) => {
    await c.var.container.templates.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.duplicate, async (c) => {
    const input = (c.req.valid('json') ?? {}) as { name?: string };
    return c.json(toTemplateDto(await c.var.container.templates.duplicate(c.var.principal, c.req.valid('param').id, input.name)), 201);
  })
  .openapi(routes.preview, async (c) => {
    const input = (c.req.valid('json') ?? {}) as { contact_id?: string; values?: Record<string, string> };
    return c.json(await c.var.container.templates.preview(c.var.principal, c.req.valid('param').id, input), 200);
  });
