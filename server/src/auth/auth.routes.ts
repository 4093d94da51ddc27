import { createRoute } from '@hono/zod-openapi';
import { LoginRequest, MeResponse, RefreshRequest, RegisterRequest, RegisterResponse, TokenResponse } from '@mvs/shared/schemas/auth';
import { errors, json } from '../http/responses';

const tags = ['auth'];

export const register = createRoute({
  method: 'post',
  path: '/api/v1/auth/register',
  tags,
  summary: 'Create a workspace (tenant) and its first admin user',
  request: { body: { required: true, content: { 'application/json': { schema: RegisterRequest } } } },
  responses: { 201: json(RegisterResponse, 'Workspace created; tokens for the new admin'), 409: errors[409], 422: errors[422] },
});

export const login = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags,
  summary: 'Sign in (OAuth2 password flow: form-encoded username/password; JSON accepted too)',
  request: {
    body: {
      required: false,
      content: {
        'application/x-www-form-urlencoded': { schema: LoginRequest },
        'application/json': { schema: LoginRequest },
      },
    },
  },
  responses: { 200: json(TokenResponse, 'Access and refresh tokens'), 401: errors[401], 403: errors[403], 422: errors[422] },
});

export const refresh = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags,
  summary: 'Trade a refresh token for new tokens (rotation; reuse revokes the family)',
  request: { body: { required: true, content: { 'application/json': { schema: RefreshRequest } } } },
  responses: { 200: json(TokenResponse, 'New tokens'), 401: errors[401], 422: errors[422] },
});

export const logout = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags,
  summary: 'Revoke a refresh token and every token rotated from it',
  request: { body: { required: true, content: { 'application/json': { schema: RefreshRequest } } } },
  responses: { 204: { description: 'Signed out' }, 422: errors[422] },
});

export const me = createRoute({
  method: 'get',
  path: '/api/v1/auth/me',
  tags,
  summary: 'The signed-in user and their workspace',
  security: [{ bearer: [] }],
  responses: { 200: json(MeResponse, 'Current user'), 401: errors[401] },
});

