import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import { requireAuth } from '../auth/auth.middleware';
import { AppError } from '../errors';
import { router } from '../http/app-factory';
import { errors, json } from '../http/responses';
import { parsePreparedRecord } from '../render/prepare/prepared-record';

/** How long the sprite links stay valid. */
const SPRITE_URL_TTL_SEC = 3600;

const Box = z.object({ x: z.number().int(), y: z.number().int(), w: z.number().int(), h: z.number().int() });

export const MouthShapes = z
  .object({
    format: z.enum(['portrait', 'landscape', 'square']),
    width: z.number().int(),
    height: z.number().int(),
    mouth_box: Box.openapi({ description: 'The region the mouth sprites change, in frame pixels' }),
    eyes_box: Box.openapi({ description: 'The region the blink sprite changes, in frame pixels' }),
    items: z.array(z.object({ name: z.string(), kind: z.enum(['mouth', 'closed', 'rounded', 'blink']), url: z.string() })),
  })
  .openapi('MouthShapes');

const route = createRoute({
  method: 'get',
  path: '/api/v1/avatars/{id}/mouth-shapes',
  tags: ['avatars'],
  security: [{ bearer: [] }],
  summary: 'The prepared mouth shapes (and closed-eyes frame) a render animates, as signed image links (read-only)',
  request: { params: IdParam, query: z.object({ format: z.enum(['portrait', 'landscape', 'square']).default('portrait') }) },
  responses: { 200: json(MouthShapes, 'Sprites, widest mouth last'), 401: errors[401], 404: errors[404], 409: errors[409], 422: errors[422] },
});

const app = router();
app.use('/api/v1/avatars/:id/mouth-shapes', requireAuth);

/** Read-only view of the sprites avatar preparation stored (render/prepare), for the portal's preview. */
export const mouthShapesRouter = app.openapi(route, async (c) => {
  const { avatarsService, storage } = c.var.container;
  const { id } = c.req.valid('param');
  const { format } = c.req.valid('query');
  const a = await avatarsService.get(c.var.principal, id);
  const record = parsePreparedRecord(a.prepared);
  const f = record && record.photo_key === a.photo_key ? record.formats[format] : undefined;
  if (!f) {
    const why = a.status === 'failed' ? `its photo was refused: ${a.error ?? 'upload another one'}` : a.photo_key ? 'its photo is still being prepared' : 'it has no photo yet';
    throw new AppError(409, 'avatar_not_ready', `Avatar ${id} has no prepared ${format} mouth shapes: ${why}`);
  }
  const sign = (k: string) => storage.signedUrl(k, SPRITE_URL_TTL_SEC);
  const items = [
    ...(await Promise.all(f.keys.mouth.map(async (k, i) => ({ name: `m${i}`, kind: 'mouth' as const, url: await sign(k) })))),
    { name: 'closed', kind: 'closed' as const, url: await sign(f.keys.closed) },
    { name: 'rounded', kind: 'rounded' as const, url: await sign(f.keys.rounded) },
    { name: 'b0', kind: 'blink' as const, url: await sign(f.keys.blink[0]!) },
  ];
  return c.json({ format, width: f.width, height: f.height, mouth_box: f.mouth_box, eyes_box: f.eyes_box, items }, 200);
});
