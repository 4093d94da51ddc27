import { RECORDING_LIMITS } from '@mvs/shared/schemas/recordings';
import { bodyLimit } from 'hono/body-limit';
import { requireAuth, requireRole } from '../../auth/auth.middleware';
import { AppError } from '../../errors';
import { router } from '../../http/app-factory';
import { toRecordingDto } from './recordings.repository';
import * as routes from './recordings.routes';

/** Room for the multipart envelope around a maximum-size file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Refuses an oversized upload while it streams in, without buffering it all. */
const capBody = bodyLimit({
  maxSize: RECORDING_LIMITS.maxBytes + MULTIPART_OVERHEAD,
  onError: () => {
    throw new AppError(413, 'file_too_large', `The recording is larger than ${RECORDING_LIMITS.maxBytes / 1024 / 1024} MB; send a shorter or more compressed one`);
  },
});

async function fileBytes(value: unknown): Promise<Buffer | undefined> {
  const v = Array.isArray(value) ? (value as unknown[])[0] : value;
  return v instanceof Blob ? Buffer.from(await v.arrayBuffer()) : undefined;
}

const app = router();
app.use('/api/v1/recordings', requireAuth);
app.use('/api/v1/recordings/*', requireAuth);

export const recordingsRouter = app
  .openapi(routes.upload([requireRole('user'), capBody]), async (c) => {
    const bytes = await fileBytes(c.req.valid('form').audio);
    const r = await c.var.container.recordings.upload(c.var.principal, bytes);
    return c.json(toRecordingDto(r), 201);
  })
  .openapi(routes.get, async (c) => c.json(toRecordingDto(await c.var.container.recordings.get(c.var.principal.tenantId, c.req.valid('param').id)), 200))
  .openapi(routes.remove, async (c) => {
    await c.var.container.recordings.remove(c.var.principal, c.req.valid('param').id);
    return c.body(null, 204);
  });
