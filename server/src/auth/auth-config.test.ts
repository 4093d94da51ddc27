import { afterEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('GET /api/v1/auth/config', () => {
  it('reports no Microsoft sign-in when no Entra app is configured', async () => {
    env = await createTestEnv('pglite', { seed: false });
    const res = await env.request('/api/v1/auth/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entra: null });
  });

  it('publishes the Entra client id, tenant authority and API scope (no secrets) when configured', async () => {
    env = await createTestEnv('pglite', { seed: false, env: { ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555', ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' } });
    expect(await (await env.request('/api/v1/auth/config')).json()).toEqual({
      entra: {
        client_id: '11111111-2222-3333-4444-555555555555',
        authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
        scopes: ['api://11111111-2222-3333-4444-555555555555/access_as_user'],
      },
    });
  });
});
