import type { Context } from 'hono';
import type { CreateCampaignRequest, UpdateCampaignRequest } from '@mvs/shared/schemas/campaigns';
import { requireAuth } from '../auth/auth.middleware';
import { router } from '../http/app-factory';
import type { AppEnv } from '../http/env';
import { campaignDto, toCampaignDto, toRecipientDtos, type RecipientViewRow } from './campaigns.dto';
import { streamCampaignEvents } from './campaigns.events';
import { analyticsCsv, purlCsv } from './campaigns.export';
import type { CampaignRow } from './campaigns.repository';
import * as routes from './campaigns.routes';

const app = router();
app.use('/api/v1/campaigns', requireAuth);
app.use('/api/v1/campaigns/*', requireAuth);

const svc = (c: Context<AppEnv>) => c.get('container').campaigns;
const dto = (c: Context<AppEnv>, row: CampaignRow) => campaignDto(c.get('container').campaignsRepo, row);
const recipientDtos = (c: Context<AppEnv>, rows: RecipientViewRow[]) => toRecipientDtos(rows, c.get('container').storage, c.get('container').config.PUBLIC_URL);
const create = async (c: Context<AppEnv>, body: CreateCampaignRequest) => {
  const row = await svc(c).create(c.get('principal'), body);
  c.get('log').info({ campaignId: row.id }, 'campaign created');
  return dto(c, row);
};
const list = async (c: Context<AppEnv>, q: Parameters<ReturnType<typeof svc>['list']>[1]) => {
  const r = await svc(c).list(c.get('principal'), q);
  const counts = await c.get('container').campaignsRepo.counts(c.get('principal').tenantId, r.items.map((x) => x.id));
  const items = r.items.map((row) => {
    const { variants: _v, body: _b, body_html: _h, script: _s, ...summary } = toCampaignDto(row, [], counts.get(row.id));
    return summary;
  });
  return { ...r, items };
};
/** A CSV body streamed from an async generator of text chunks. */
const csvResponse = (chunks: AsyncGenerator<string>, filename: string) => {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const n = await chunks.next();
      if (n.done) ctrl.close();
      else ctrl.enqueue(enc.encode(n.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
};

export const campaignsRouter = app
  .openapi(routes.create, async (c) => c.json(await create(c, c.req.valid('json')), 201))
  .openapi(routes.createSlash, async (c) => c.json(await create(c, c.req.valid('json')), 201))
  .openapi(routes.list, async (c) => c.json(await list(c, c.req.valid('query')), 200))
  .openapi(routes.listSlash, async (c) => c.json(await list(c, c.req.valid('query')), 200))
  .openapi(routes.get, async (c) => c.json(await dto(c, await svc(c).get(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.update, async (c) => {
    const row = await svc(c).update(c.var.principal, c.req.valid('param').id, c.req.valid('json') as UpdateCampaignRequest);
    return c.json(await dto(c, row), 200);
  })
  .openapi(routes.remove, async (c) => {
    await svc(c).remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.render, async (c) => c.json(await dto(c, await svc(c).render(c.var.principal, c.req.valid('param').id)), 202))
  .openapi(routes.approve, async (c) => {
    const { id } = c.req.valid('param');
    const body = (c.req.valid('json') ?? {}) as { recipient_ids?: string[] };
    const r = await svc(c).approve(c.var.principal, id, body.recipient_ids);
    return c.json({ ...r, campaign: await dto(c, await svc(c).get(c.var.principal, id)) }, 200);
  })
  .openapi(routes.rerender, async (c) => {
    const { id, rid } = c.req.valid('param');
    const body = (c.req.valid('json') ?? {}) as { script?: string };
    await svc(c).rerender(c.var.principal, id, rid, body.script);
    const [row] = await recipientDtos(c, [await svc(c).recipient(c.var.principal, id, rid)]);
    return c.json(row!, 202);
  })
  .openapi(routes.send, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { send_at?: string };
    const row = await svc(c).send(c.var.principal, c.req.valid('param').id, body.send_at ? new Date(body.send_at) : undefined);
    return c.json(await dto(c, row), 202);
  })
  .openapi(routes.pause, async (c) => c.json(await dto(c, await svc(c).pause(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.resume, async (c) => c.json(await dto(c, await svc(c).resume(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.cancel, async (c) => c.json(await dto(c, await svc(c).cancel(c.var.principal, c.req.valid('param').id)), 200))
  .openapi(routes.recipients, async (c) => {
    const r = await svc(c).recipients(c.var.principal, c.req.valid('param').id, c.req.valid('query'));
    return c.json({ ...r, items: await recipientDtos(c, r.items) }, 200);
  })
  .openapi(routes.recipient, async (c) => {
    const { id, rid } = c.req.valid('param');
    const [row] = await recipientDtos(c, [await svc(c).recipient(c.var.principal, id, rid)]);
    return c.json(row!, 200);
  })
  .openapi(routes.events, (c) => streamCampaignEvents(c, c.var.principal, c.req.valid('param').id))
  .openapi(routes.exportCsv, async (c) => {
    const row = await svc(c).get(c.var.principal, c.req.valid('param').id);
    const { campaignsRepo, recipients } = c.var.container;
    return csvResponse(purlCsv(campaignsRepo, recipients, row), `campaign-${row.id}-purls.csv`);
  })
  .openapi(routes.analytics, async (c) => {
    const row = await svc(c).get(c.var.principal, c.req.valid('param').id);
    return c.json(await c.var.container.campaignAnalytics.forCampaign(row), 200);
  })
  .openapi(routes.recipientAnalytics, async (c) => {
    const row = await svc(c).get(c.var.principal, c.req.valid('param').id);
    const { page, page_size } = c.req.valid('query');
    return c.json(await c.var.container.campaignAnalytics.recipients(row, page, page_size), 200);
  })
  .openapi(routes.analyticsCsv, async (c) => {
    const row = await svc(c).get(c.var.principal, c.req.valid('param').id);
    return csvResponse(analyticsCsv(c.var.container.campaignAnalytics, row), `campaign-${row.id}-analytics.csv`);
  });

