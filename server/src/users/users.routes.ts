import { createRoute, z } from '@hono/zod-openapi';
import { InviteUserRequest, Session, UpdateUserRequest, User } from '@mvs/shared/schemas/auth';
import { IdParam, PageQuery, pageOf } from '@mvs/shared/schemas/common';
import { errors, json } from '../http/responses';

const tags = ['users'];
const security = [{ bearer: [] }];
const UserPage = pageOf(User, 'UserPage');

export const list = createRoute({
  method: 'get',
  path: '/api/v1/users',
  tags,
  security,
  summary: "List your workspace's users (admin)",
  request: { query: PageQuery },
  responses: { 200: json(UserPage, 'Users'), 401: errors[401], 403: errors[403] },
});

export const get = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}',
  tags,
  security,
  summary: 'One user (admin)',
  request: { params: IdParam },
  responses: { 200: json(User, 'User'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

export const invite = createRoute({
  method: 'post',
  path: '/api/v1/users',
  tags,
  security,
  summary: 'Invite a user with an initial password (admin)',
  request: { body: { required: true, content: { 'application/json': { schema: InviteUserRequest } } } },
  responses: { 201: json(User, 'Created'), 401: errors[401], 403: errors[403], 409: errors[409], 422: errors[422] },
});

export const update = createRoute({
  method: 'patch',
  path: '/api/v1/users/{id}',
  tags,
  security,
  summary: 'Change role, name, or deactivate (admin)',
  description: 'Deactivating ends every session of the user at once; so does lowering their role (the new role applies now).',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UpdateUserRequest } } } },
  responses: { 200: json(User, 'Updated'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409], 422: errors[422] },
});

export const deactivate = createRoute({
  method: 'delete',
  path: '/api/v1/users/{id}',
  tags,
  security,
  summary: 'Deactivate a user and revoke their sessions (admin)',
  request: { params: IdParam },
  responses: { 200: json(User, 'Deactivated'), 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
});

export const signOutEverywhere = createRoute({
  method: 'post',
  path: '/api/v1/users/{id}/sign-out-everywhere',
  tags,
  security,
  summary: "End every session of a user now: their access and refresh tokens stop working (admin)",
  request: { params: IdParam },
  responses: {
    200: json(z.object({ sessions_ended: z.number().int() }).openapi('SignOutEverywhereResponse'), 'Signed out'),
    401: errors[401],
    403: errors[403],
    404: errors[404],
  },
});

export const liftLockout = createRoute({
  method: 'delete',
  path: '/api/v1/users/{id}/lockout',
  tags,
  security,
  summary: 'Lift the sign-in lock after too many failed attempts (admin)',
  request: { params: IdParam },
  responses: { 204: { description: 'Unlocked (or was not locked)' }, 401: errors[401], 403: errors[403], 404: errors[404] },
});

export const sessions = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}/sessions',
  tags,
  security,
  summary: "A user's active sessions (sign-ins), newest first (admin)",
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(Session) }).openapi('SessionList'), 'Sessions'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
