import { createRoute, z } from '@hono/zod-openapi';
import { IdParam } from '@mvs/shared/schemas/common';
import {
  CreateTemplateRequest,
  DuplicateTemplateRequest,
  PreviewTemplateRequest,
  Template,
  TemplatePreview,
  TemplateQuery,
  UpdateTemplateRequest,
} from '@mvs/shared/schemas/templates';
import { errors, json } from '../http/responses';

const base = { tags: ['templates'], security: [{ bearer: [] }] };
const read = { 401: errors[401], 403: errors[403], 404: errors[404], 422: errors[422] };
const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

export const list = createRoute({
  method: 'get',
  path: '/api/v1/templates',
  ...base,
  summary: 'Your own templates (newest first), then the built-in library (sales, customer success, HR, real estate; en and vi)',
  request: { query: TemplateQuery },
  responses: { 200: json(z.object({ items: z.array(Template) }), 'Templates'), ...read },
});

export const create = createRoute({
  method: 'post',
  path: '/api/v1/templates',
  ...base,
  summary: 'Create an own template',
  description:
    'Write the first sentence as the personal greeting (`Hi {{first_name|there}}, …`) and keep variables out of the rest: campaigns then render the shared part once and only the greeting per contact (see `parts`).',
  request: body(CreateTemplateRequest),
  responses: { 201: json(Template, 'Created'), ...read },
});

export const get = createRoute({
  method: 'get',
  path: '/api/v1/templates/{id}',
  ...base,
  summary: 'One template',
  request: { params: IdParam },
  responses: { 200: json(Template, 'Template'), ...read },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/templates/{id}',
  ...base,
  summary: 'Change an own template (its author or an admin); built-ins answer 403 template_read_only',
  request: { params: IdParam, ...body(UpdateTemplateRequest) },
  responses: { 200: json(Template, 'Updated'), ...read },
});

export const remove = createRoute({
  method: 'delete',
  path: '/api/v1/templates/{id}',
  ...base,
  summary: 'Delete an own template (its author or an admin); built-ins answer 403 template_read_only',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...read },
});

export const duplicate = createRoute({
  method: 'post',
  path: '/api/v1/templates/{id}/duplicate',
  ...base,
  summary: 'Copy a template (a built-in too) into an own template you can edit',
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: DuplicateTemplateRequest } } } },
  responses: { 201: json(Template, 'The copy'), ...read },
});

export const preview = createRoute({
  method: 'post',
  path: '/api/v1/templates/{id}/preview',
  ...base,
  summary: 'The template rendered for one contact (contact_id and/or inline values): texts, what TTS will say, missing variables',
  request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: PreviewTemplateRequest } } } },
  responses: { 200: json(TemplatePreview, 'Rendered texts'), ...read },
});
