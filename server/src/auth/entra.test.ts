import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../http/app';
import { createTestEnv, describeEachBackend, jsonBody, type TestEnv } from '../../test/harness';
import { createEntra } from './entra.wiring';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const CLIENT_ID = '2d9b2f5a-4c3e-4b39-9a55-0c1b7e1f0a11';
const WORKSPACE_CLIENT_ID = 'a1b2c3d4-0000-4000-8000-00000000abcd';
const issuerFor = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;

let jwksServer: http.Server;
let jwksUrl: string;
let jwksHits = 0;
let key: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-kid', alg: 'RS256', use: 'sig' };
  jwksServer = http.createServer((req, res) => {
    jwksHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((ok) => jwksServer.listen(0, '127.0.0.1', ok));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/discovery/v2.0/keys`;
});
afterAll(async () => new Promise<void>((ok) => jwksServer.close(() => ok())));

/** An Entra v2 access token as the add-in gets it through NAA, signed with the local key pair. */
function mint(claims: Record<string, unknown> = {}, opts: { aud?: string; iss?: string; tid?: string; exp?: number | string; signWith?: CryptoKey } = {}) {
  const tid = opts.tid ?? TID;
  return new SignJWT({ tid, oid: 'oid-user-1', scp: 'access_as_user', preferred_username: 'user@demo.com', name: 'Demo User', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-kid', typ: 'JWT' })
    .setIssuer(opts.iss ?? issuerFor(tid))
    .setAudience(opts.aud ?? CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(opts.signWith ?? key);
}

describeEachBackend('POST /api/v1/auth/entra', (backend) => {
  let env: TestEnv;
  const signIn = async (token: string, app: { request: TestEnv['request'] } = env) => {
    const res = await app.request('/api/v1/auth/entra', { method: 'POST', ...jsonBody({ token }) });
    return { status: res.status, body: (await res.json()) as { code?: string; message?: string; access_token?: string } };
  };
  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TID, ENTRA_JWKS_URL: jwksUrl } });
  });
  afterAll(async () => env?.close());

  it('signs in an existing user by preferred_username, links the oid, and answers our own tokens', async () => {
    const r = await signIn(await mint());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'bearer', refresh_token: expect.any(String) });
    const me = await env.request('/api/v1/auth/me', { token: r.body.access_token! });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('user@demo.com');
    expect(jwksHits).toBeGreaterThanOrEqual(1);
    // Linked: a later token with only the oid (no email claims) finds the same user.
    const again = await signIn(await mint({ preferred_username: undefined, email: undefined }));
    expect(again.status).toBe(200);
  });

  it('accepts the App ID URI audience and an ID token without scopes', async () => {
    expect((await signIn(await mint({}, { aud: `api://${CLIENT_ID}` }))).status).toBe(200);
    expect((await signIn(await mint({ scp: undefined }))).status).toBe(200);
  });

  it('refuses a token for another app with 401 token_invalid', async () => {
    const r = await signIn(await mint({}, { aud: '00000003-0000-0000-c000-000000000000' }));
    expect(r).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    expect(r.body.message).toMatch(/another app; expected audience/);
  });

  it('refuses an expired token with 401 token_expired', async () => {
    const r = await signIn(await mint({}, { exp: Math.floor(Date.now() / 1000) - 600 }));
    expect(r).toMatchObject({ status: 401, body: { code: 'token_expired' } });
  });

  it('refuses a token from the wrong issuer with 401 token_invalid', async () => {
    const r = await signIn(await mint({}, { iss: 'https://evil.example/v2.0' }));
    expect(r).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    expect(r.body.message).toMatch(/unexpected issuer/);
  });

  it('refuses a token signed with another key, or without the access_as_user scope', async () => {
    expect(await signIn(await mint({}, { signWith: strangerKey }))).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    const r = await signIn(await mint({ scp: 'User.Read' }));
    expect(r).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    expect(r.body.message).toMatch(/access_as_user/);
    expect(await signIn('not-a-jwt-at-all-but-long-enough')).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
  });

  it('refuses an unknown Microsoft user with 403 entra_user_not_found', async () => {
    const r = await signIn(await mint({ oid: 'oid-stranger', preferred_username: 'stranger@demo.com' }));
    expect(r).toMatchObject({ status: 403, body: { code: 'entra_user_not_found' } });
    expect(r.body.message).toContain('stranger@demo.com');
  });

  it('refuses a directory that is not configured with 403 entra_tenant_not_allowed', async () => {
    const r = await signIn(await mint({ oid: 'oid-x', preferred_username: 'admin@demo.com' }, { tid: OTHER_TID }));
    expect(r).toMatchObject({ status: 403, body: { code: 'entra_tenant_not_allowed' } });
  });

  it("signs in through a workspace's own Entra app (tenants.settings.entra) only for that workspace's users", async () => {
    const demo = await env.container.authRepo.findTenantByDomain('demo.com');
    await env.container.entraRepo.setTenantEntra(demo!.id, { tenantId: OTHER_TID, clientId: WORKSPACE_CLIENT_ID });
    try {
      const ok = await signIn(await mint({ oid: 'oid-admin', preferred_username: 'admin@demo.com' }, { tid: OTHER_TID, aud: WORKSPACE_CLIENT_ID }));
      expect(ok.status).toBe(200);
      // The server-wide app is not valid for that directory.
      const wrongApp = await signIn(await mint({ oid: 'oid-admin' }, { tid: OTHER_TID, aud: CLIENT_ID }));
      expect(wrongApp).toMatchObject({ status: 401, body: { code: 'token_invalid' } });
    } finally {
      await env.container.entraRepo.setTenantEntra(demo!.id, null);
    }
  });

  it('answers 503 entra_not_configured when no Entra app is configured', async () => {
    const config = { ...env.config, ENTRA_CLIENT_ID: undefined, ENTRA_TENANT_ID: undefined };
    const c = env.container;
    const app = createApp({ ...c, config, ...createEntra(config, c.db, { authRepo: c.authRepo, auth: c.auth, audit: c.audit }) });
    const r = await signIn(await mint(), { request: async (p, init) => app.request(p, init) });
    expect(r).toMatchObject({ status: 503, body: { code: 'entra_not_configured' } });
  });
});
