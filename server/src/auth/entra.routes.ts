import { createRoute, z } from '@hono/zod-openapi';
import { TokenResponse } from '@mvs/shared/schemas/auth';
import { errors, json } from '../http/responses';

/** POST /api/v1/auth/entra body. */
export const EntraSignInRequest = z
  .object({ token: z.string().min(20, 'token: send the Microsoft access token').max(20_000) })
  .openapi('EntraSignInRequest');

export const entraSignIn = createRoute({
  method: 'post',
  path: '/api/v1/auth/entra',
  tags: ['auth'],
  summary: 'Sign in with a Microsoft Entra ID token (from the add-in via nested app auth); answers our own tokens',
  description:
    'Verifies the token (RS256, JWKS, issuer for its tid, audience = the configured client id or api://client id, ' +
    'scope access_as_user) and maps it to an existing user by Entra object id, else by email (then links the oid).',
  request: { body: { required: true, content: { 'application/json': { schema: EntraSignInRequest } } } },
  responses: {
    200: json(TokenResponse, 'Access and refresh tokens, as from login'),
    401: errors[401],
    403: errors[403],
    422: errors[422],
    503: { description: 'Microsoft sign-in is not configured, or Microsoft keys could not be fetched' },
  },
});
