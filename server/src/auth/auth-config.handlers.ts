import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../http/app-factory';
import { json } from '../http/responses';

const AuthConfig = z
  .object({
    entra: z
      .object({
        client_id: z.string(),
        authority: z.string().url(),
        scopes: z.array(z.string()),
      })
      .nullable()
      .openapi({ description: 'Set when Microsoft Entra sign-in is configured (ENTRA_CLIENT_ID); null otherwise.' }),
  })
  .openapi('AuthConfig');

const authConfig = createRoute({
  method: 'get',
  path: '/api/v1/auth/config',
  tags: ['auth'],
  summary: 'Public: which sign-in methods this server offers (the add-in shows "Sign in with Microsoft" only when set)',
  responses: { 200: json(AuthConfig, 'Sign-in options') },
});

/** GET /api/v1/auth/config: public, no secrets — only the Entra client id, authority and API scope. */
export const authConfigRouter = router().openapi(authConfig, (c) => {
  const { ENTRA_CLIENT_ID, ENTRA_TENANT_ID } = c.var.container.config;
  const entra = ENTRA_CLIENT_ID
    ? {
        client_id: ENTRA_CLIENT_ID,
        authority: `https://login.microsoftonline.com/${ENTRA_TENANT_ID || 'common'}`,
        scopes: [`api://${ENTRA_CLIENT_ID}/access_as_user`],
      }
    : null;
  return c.json({ entra }, 200);
});
