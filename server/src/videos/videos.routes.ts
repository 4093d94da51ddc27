import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import { CreateVideoRequest, Video, VideoListQuery, VideoPage } from '@mvs/shared/schemas/videos';
import { errors, json } from '../http/responses';

const tags = ['videos'];
const security = [{ bearer: [] }];
const binary = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } },
});
const readErrors = { 401: errors[401], 404: errors[404] };

const createDef = (path: string, hide = false) =>
  createRoute({
    method: 'post',
    path,
    tags,
    security,
    hide,
    summary: 'Create a video: queue a render of the script with the avatar',
    description:
      'Answers 202 at once; poll GET /api/v1/videos/{id} or stream /events. Script: 1–5,000 characters ' +
      '(422 script_empty / script_too_long). Language defaults to the one detected from the script.',
    request: { body: { required: true, content: { 'application/json': { schema: CreateVideoRequest } } } },
    responses: { 202: json(Video, 'Queued'), 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] },
  });
export const create = createDef('/api/v1/videos');
export const createSlash = createDef('/api/v1/videos/', true);

const listDef = (path: string, hide = false) =>
  createRoute({
    method: 'get',
    path,
    tags,
    security,
    hide,
    summary: 'List videos, newest first (users see their own; admins and viewers the whole workspace)',
    request: { query: VideoListQuery },
    responses: { 200: json(VideoPage, 'Videos'), 401: errors[401], 422: errors[422] },
  });
export const list = listDef('/api/v1/videos');
export const listSlash = listDef('/api/v1/videos/', true);

export const get = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}',
  tags,
  security,
  summary: 'One video with status, progress (0–100) and signed file URLs',
  request: { params: IdParam },
  responses: { 200: json(Video, 'Video'), ...readErrors },
});

export const cancel = createRoute({
  method: 'post',
  path: '/api/v1/videos/{id}/cancel',
  tags,
  security,
  summary: 'Cancel a queued or rendering video',
  request: { params: IdParam },
  responses: { 200: json(Video, 'Canceled'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/videos/{id}',
  tags,
  security,
  summary: 'Delete a video and its files',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 401: errors[401], 403: errors[403], 404: errors[404] },
});

const fileDef = (suffix: string, type: string, what: string) =>
  createRoute({
    method: 'get',
    path: `/api/v1/videos/{id}/${suffix}`,
    tags,
    security,
    summary: `The ${what} (Range requests supported; ?access_token= works for players)`,
    request: { params: IdParam },
    responses: { 200: binary(type, what), 206: binary(type, 'Partial content'), ...readErrors, 416: { description: 'Range not satisfiable' } },
  });
export const file = fileDef('file', 'video/mp4', 'MP4 video');
export const poster = fileDef('poster', 'image/jpeg', 'poster JPEG');
export const gif = fileDef('gif', 'image/gif', 'animated GIF thumbnail');

export const events = createRoute({
  method: 'get',
  path: '/api/v1/videos/{id}/events',
  tags,
  security,
  summary: 'Server-Sent Events: `progress` {status, stage, progress} while rendering, then `done` with the Video',
  description: 'Auth by Bearer header or ?access_token= (EventSource cannot send headers). A comment line every 15 s keeps proxies open.',
  request: { params: IdParam },
  responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...readErrors },
});
