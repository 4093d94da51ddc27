import { createRoute } from '@hono/zod-openapi';
import {
  Avatar,
  ConsentRequest,
  CreateAvatarRequest,
  PhotoUpload,
  UpdateAvatarRequest,
  VoiceUpload,
} from '@mvs/shared/schemas/avatars';
import { IdParam, PageQuery, pageOf } from '@mvs/shared/schemas/common';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env';
import { errors, json } from '../http/responses';

const tags = ['avatars'];
const security = [{ bearer: [] }];
const AvatarPage = pageOf(Avatar, 'AvatarPage');
const read = { 401: errors[401], 403: errors[403], 404: errors[404] };
const write = { ...read, 422: errors[422] };
const upload = { ...write, 413: errors[413], 415: errors[415] };

const listDef = (path: string, hide = false) =>
  createRoute({
    method: 'get',
    path,
    hide,
    tags,
    security,
    summary: "List the workspace's avatars",
    request: { query: PageQuery },
    responses: { 200: json(AvatarPage, 'Avatars, newest first'), 401: errors[401], 422: errors[422] },
  });
export const list = listDef('/api/v1/avatars/');
export const listNoSlash = listDef('/api/v1/avatars', true);

const createDef = (path: string, hide = false) =>
  createRoute({
    method: 'post',
    path,
    hide,
    tags,
    security,
    summary: 'Create an avatar (then upload its photo)',
    request: { body: { required: true, content: { 'application/json': { schema: CreateAvatarRequest } } } },
    responses: { 201: json(Avatar, 'Created (status draft)'), 401: errors[401], 403: errors[403], 422: errors[422] },
  });
export const create = createDef('/api/v1/avatars/');
export const createNoSlash = createDef('/api/v1/avatars', true);

export const get = createRoute({
  method: 'get',
  path: '/api/v1/avatars/{id}',
  tags,
  security,
  summary: 'One avatar',
  request: { params: IdParam },
  responses: { 200: json(Avatar, 'Avatar'), ...read, 422: errors[422] },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/avatars/{id}',
  tags,
  security,
  summary: 'Rename, change language or voice settings (owner or admin)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UpdateAvatarRequest } } } },
  responses: { 200: json(Avatar, 'Updated'), ...write },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/avatars/{id}',
  tags,
  security,
  summary: 'Delete an avatar and its stored files (owner or admin)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read, 409: errors[409], 422: errors[422] },
});

/** An upload route; `middleware` runs before the multipart body is parsed (role check, size cap). */
const uploadDef = <S extends typeof PhotoUpload | typeof VoiceUpload>(
  field: 'photo' | 'voice',
  schema: S,
  summary: string,
  middleware: MiddlewareHandler<AppEnv>[],
) =>
  createRoute({
    method: 'post',
    path: `/api/v1/avatars/{id}/upload-${field}`,
    middleware,
    tags,
    security,
    summary,
    request: { params: IdParam, body: { required: false, content: { 'multipart/form-data': { schema } } } },
    responses: { 200: json(Avatar, 'Stored'), ...upload },
  });

export const uploadPhoto = (middleware: MiddlewareHandler<AppEnv>[]) =>
  uploadDef(
    'photo',
    PhotoUpload,
    'Upload the photo (JPEG/PNG/WebP by content, ≤ 10 MB, short side ≥ 256 px); EXIF applied then stripped; queues preparation',
    middleware,
  );
export const uploadVoice = (middleware: MiddlewareHandler<AppEnv>[]) =>
  uploadDef('voice', VoiceUpload, 'Upload a voice sample (MP3/WAV/M4A/OGG/WebM by content, ≤ 10 MB); its duration is measured', middleware);

export const consent = createRoute({
  method: 'post',
  path: '/api/v1/avatars/{id}/consent',
  tags,
  security,
  summary: 'Record the likeness consent needed before the first render (owner or admin)',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ConsentRequest } } } },
  responses: { 200: json(Avatar, 'Consent recorded'), ...write },
});

export const generate = createRoute({
  method: 'post',
  path: '/api/v1/avatars/{id}/generate',
  tags,
  security,
  summary: 'Check the avatar can render (photo, consent) and (re)queue its preparation',
  request: { params: IdParam },
  responses: { 202: json(Avatar, 'Preparation queued; status processing'), ...write },
});

export const photo = createRoute({
  method: 'get',
  path: '/api/v1/avatars/{id}/photo',
  tags,
  security,
  summary: 'The stored photo (Range supported); Bearer header or ?access_token=',
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The photo (JPEG, or PNG when a PNG or transparent image was uploaded)',
      content: {
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
      },
    },
    206: { description: 'The requested byte range' },
    416: { description: 'The range lies outside the photo' },
    ...read,
    422: errors[422],
  },
});
