import { createRoute } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import { Recording, RecordingUpload } from '@mvs/shared/schemas/recordings';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../http/env';
import { errors, json } from '../../http/responses';

const tags = ['recordings'];
const security = [{ bearer: [] }];
const read = { 401: errors[401], 403: errors[403], 404: errors[404] };

export const upload = (middleware: MiddlewareHandler<AppEnv>[]) =>
  createRoute({
    method: 'post',
    path: '/api/v1/recordings',
    middleware,
    tags,
    security,
    summary: 'Upload a recording of yourself (MP3/WAV/M4A/OGG/WebM by content, ≤ 10 MB, ≤ 5 min) to use as a video\'s audio via recording_id',
    request: { body: { required: false, content: { 'multipart/form-data': { schema: RecordingUpload } } } },
    responses: { 201: json(Recording, 'Stored; its duration was measured'), 401: errors[401], 403: errors[403], 413: errors[413], 415: errors[415], 422: errors[422] },
  });

export const get = createRoute({
  method: 'get',
  path: '/api/v1/recordings/{id}',
  tags,
  security,
  summary: 'One recording of your workspace',
  request: { params: IdParam },
  responses: { 200: json(Recording, 'Recording'), ...read },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/recordings/{id}',
  tags,
  security,
  summary: 'Delete a recording (its owner or an admin)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read },
});
