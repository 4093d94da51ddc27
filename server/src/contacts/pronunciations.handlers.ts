import { router } from '../http/app-factory';
import type { PronunciationRow } from './pronunciations.repository';
import * as routes from './pronunciations.routes';
import { readOrWrite } from './write-access';

const toDto = (r: PronunciationRow) => ({
  id: r.id,
  word: r.word,
  say_as: r.say_as,
  language: r.language,
  created_at: r.created_at.toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});

const app = router();
const guard = readOrWrite([/^\/api\/v1\/pronunciations\/spoken-text\/?$/]);
app.use('/api/v1/pronunciations', guard);
app.use('/api/v1/pronunciations/*', guard);

export const pronunciationsRouter = app
  .openapi(routes.list, async (c) => c.json({ items: (await c.var.container.pronunciations.list(c.var.principal, c.req.valid('query').language)).map(toDto) }, 200))
  .openapi(routes.create, async (c) => c.json(toDto(await c.var.container.pronunciations.create(c.var.principal, c.req.valid('json'))), 201))
  .openapi(routes.spoken, async (c) => c.json(await c.var.container.pronunciations.spoken(c.var.principal, c.req.valid('json')), 200))
  .openapi(routes.get, async (c) => c.json(toDto(await c.var.container.pronunciations.get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) =>
    c.json(toDto(await c.var.container.pronunciations.update(c.var.principal, c.req.valid('param').id, c.req.valid('json'))), 200),
  )
  .openapi(routes.remove, async (c) => {
    await c.var.container.pronunciations.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  });
