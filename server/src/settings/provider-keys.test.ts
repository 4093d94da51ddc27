import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, testConfig, type TestEnv } from '../../test/harness';
import { startOpenAiChatFake, type OpenAiChatFake } from '../../test/fakes/openai-chat.fake';
import { startOpenAiFake, type OpenAiFake } from '../../test/fakes/openai.fake';
import { createContainer, type Container } from '../container';
import { createLogger } from '../logger';
import { seedDemo } from '../seed';
import { keyIdOf, parseKey, SecretBox } from '../security/secret-box';

const run = promisify(execFile);
const OPENAI_KEY = 'sk-proj-Test0123456789abcdefghijXyZ9';
const ELEVEN_KEY = 'xi-0123456789abcdef0123456789abQ7w2';
type Item = { provider: string; configured: boolean; last4: string | null; key_id: string | null; base_url: string | null; updated_by_email: string | null; server_configured: boolean };

describeEachBackend('provider keys API', (backend) => {
  let env: TestEnv;
  let admin: string;
  let otherAdmin: string;
  const put = (provider: string, body: unknown, token = admin) => env.request(`/api/v1/settings/provider-keys/${provider}`, { method: 'PUT', token, ...jsonBody(body) });
  const list = async (token = admin) => ((await (await env.request('/api/v1/settings/provider-keys', { token })).json()) as { items: Item[] }).items;

  beforeAll(async () => {
    env = await createTestEnv(backend, { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', SENDGRID_API_KEY: 'SG.server-key' } });
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', tenant_domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }) });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(() => env.close());

  it('lists every provider, none configured, and whether the server has its own key', async () => {
    const items = await list();
    expect(items.map((i) => i.provider)).toEqual(['openai', 'elevenlabs', 'heygen', 'sendgrid']);
    expect(items.every((i) => !i.configured && i.last4 === null)).toBe(true);
    expect(items.find((i) => i.provider === 'sendgrid')!.server_configured).toBe(true);
    expect(items.find((i) => i.provider === 'openai')!.server_configured).toBe(false);
  });

  it('stores a key encrypted (the column differs from the key and holds none of it) and shows only its last 4 characters', async () => {
    const res = await put('openai', { api_key: OPENAI_KEY, base_url: 'https://llm.public.example/v1/' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(OPENAI_KEY.slice(0, 12));
    expect(JSON.parse(text)).toMatchObject({ provider: 'openai', configured: true, last4: 'XyZ9', base_url: 'https://llm.public.example/v1', key_id: env.container.secretBox.keyId, updated_by_email: DEMO.admin.email });
    const row = await env.container.db.selectFrom('provider_credentials').selectAll().where('provider', '=', 'openai').executeTakeFirstOrThrow();
    expect(row.api_key).not.toBe(OPENAI_KEY);
    expect(row.api_key).toMatch(/^mvs1:[0-9a-f]{8}:/);
    for (let i = 0; i + 8 <= OPENAI_KEY.length; i += 4) expect(row.api_key).not.toContain(OPENAI_KEY.slice(i, i + 8));
    const listed = JSON.stringify(await list());
    expect(listed).toContain('"last4":"XyZ9"');
    expect(listed).not.toContain(OPENAI_KEY.slice(0, -4));
    // The code that calls OpenAI gets the key; another workspace gets nothing.
    expect(await env.container.providerKeys.resolve(row.tenant_id, 'openai')).toEqual({ apiKey: OPENAI_KEY, baseUrl: 'https://llm.public.example/v1' });
    expect((await list(otherAdmin)).every((i) => !i.configured)).toBe(true);
  });

  it('replaces and deletes keys, auditing each change without the key', async () => {
    expect((await put('elevenlabs', { api_key: 'xi-first-key-0000' })).status).toBe(200);
    expect(((await (await put('elevenlabs', { api_key: ELEVEN_KEY })).json()) as Item).last4).toBe('Q7w2');
    expect((await env.request('/api/v1/settings/provider-keys/heygen', { method: 'DELETE', token: admin })).status).toBe(404);
    expect((await put('heygen', { api_key: 'hg-0123456789abcd' })).status).toBe(200);
    expect((await env.request('/api/v1/settings/provider-keys/heygen', { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await list()).find((i) => i.provider === 'heygen')!.configured).toBe(false);
    const audit = (await (await env.request('/api/v1/audit?action=provider_key.*&page_size=100', { token: admin })).json()) as { items: { action: string; details: Record<string, unknown> }[] };
    expect(audit.items.map((a) => a.action)).toEqual(['provider_key.deleted', 'provider_key.set', 'provider_key.set', 'provider_key.set', 'provider_key.set']);
    expect(audit.items[1]!.details).toMatchObject({ provider: 'heygen', last4: 'abcd' });
    expect(JSON.stringify(audit)).not.toContain(ELEVEN_KEY.slice(0, 10));
  });

  it('refuses bad input with 422 and a private base_url with 422 url_not_public, and non-admins with 403', async () => {
    expect((await put('mystery', { api_key: OPENAI_KEY })).status).toBe(422);
    expect((await put('openai', { api_key: 'has spaces in it' })).status).toBe(422);
    expect((await put('openai', { api_key: OPENAI_KEY, extra: 1 })).status).toBe(422);
    const priv = await put('openai', { api_key: OPENAI_KEY, base_url: 'http://169.254.169.254/v1' });
    expect(priv.status).toBe(422);
    expect(((await priv.json()) as { code: string }).code).toBe('url_not_public');
    const user = await env.login(DEMO.user.email, DEMO.user.password);
    expect((await env.request('/api/v1/settings/provider-keys', { token: user })).status).toBe(403);
    expect((await put('openai', { api_key: OPENAI_KEY }, user)).status).toBe(403);
    expect((await env.request('/api/v1/settings/provider-keys/rotate', { method: 'POST', token: user })).status).toBe(403);
    expect((await env.request('/api/v1/settings/provider-keys')).status).toBe(401);
  });
});

describe('key rotation', () => {
  const A = 'a1'.repeat(32);
  const B = Buffer.alloc(32, 0x5b).toString('base64');
  let dataDir: string;
  const open = (env: Record<string, string>) => {
    const config = testConfig(dataDir, { SECRET_KEY: 'rotation-secret-'.repeat(3), WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', ...env });
    return createContainer(config, createLogger('silent'), { pgliteDir: path.join(dataDir, 'pglite') });
  };
  const sealedValues = async (c: Container) => [
    ...(await c.db.selectFrom('provider_credentials').select('api_key').execute()).map((r) => r.api_key),
    ...(await c.db.selectFrom('webhook_endpoints').select('secret').execute()).map((r) => r.secret),
  ];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-rotate-'));
  });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  it('re-encrypts every stored key and webhook secret under the new key (API for a workspace, npm run rotate-keys for all); they still decrypt', async () => {
    // Under key A: two provider keys and a webhook secret.
    let c = await open({ ENCRYPTION_KEY: A });
    const { tenantId, adminId } = await seedDemo(c);
    const p = { userId: adminId, tenantId, role: 'admin' as const };
    await c.providerKeys.put(p, 'openai', { api_key: OPENAI_KEY });
    await c.providerKeys.put(p, 'elevenlabs', { api_key: ELEVEN_KEY });
    const hook = await c.webhooks.create(tenantId, { url: 'https://hooks.public.example/in', events: ['video.completed'] });
    const idA = keyIdOf(parseKey(A, 'A'));
    expect((await sealedValues(c)).map((v) => SecretBox.keyIdOf(v))).toEqual([idA, idA, idA]);
    await c.close();

    // The operator switches to key B, keeping A to open old values; the workspace admin rotates through the API.
    c = await open({ ENCRYPTION_KEY: B, ENCRYPTION_KEYS_OLD: A });
    const idB = c.secretBox.keyId;
    const { createApp } = await import('../http/app');
    const app = createApp(c);
    const login = await app.request('/api/v1/auth/login', { method: 'POST', ...jsonBody({ username: DEMO.admin.email, password: DEMO.admin.password }) });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const res = await app.request('/api/v1/settings/provider-keys/rotate', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rotated: 3, key_id: idB });
    expect((await sealedValues(c)).map((v) => SecretBox.keyIdOf(v))).toEqual([idB, idB, idB]);
    const listed = ((await (await app.request('/api/v1/settings/provider-keys', { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Item[] }).items;
    expect(listed.filter((i) => i.configured).map((i) => i.key_id)).toEqual([idB, idB]);
    // A second rotation has nothing left to do.
    expect(((await (await app.request('/api/v1/settings/provider-keys/rotate', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { rotated: number }).rotated).toBe(0);
    // Back to A-sealed values for the CLI run: store a new key under A again.
    await c.close();
    c = await open({ ENCRYPTION_KEY: A, ENCRYPTION_KEYS_OLD: B });
    await c.providerKeys.put(p, 'sendgrid', { api_key: 'SG.tenant-key-0123' });
    const hook2 = await c.webhooks.create(tenantId, { url: 'https://hooks.public.example/two', events: ['video.failed'] });
    await c.close();

    // npm run rotate-keys, as an operator runs it: every workspace, every secret, under B.
    const cli = await run(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'rotate-keys'], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, SECRET_KEY: 'rotation-secret-'.repeat(3), ENCRYPTION_KEY: B, ENCRYPTION_KEYS_OLD: A, LOG_LEVEL: 'silent' },
    });
    expect(cli.stdout).toContain(`re-encrypted 1 webhook signing secret(s) and 1 provider key(s) under key ${idB}`);

    // With only key B, everything still opens.
    c = await open({ ENCRYPTION_KEY: B });
    try {
      expect((await sealedValues(c)).map((v) => SecretBox.keyIdOf(v))).toEqual([idB, idB, idB, idB, idB]);
      expect((await c.providerKeys.resolve(tenantId, 'openai'))?.apiKey).toBe(OPENAI_KEY);
      expect((await c.providerKeys.resolve(tenantId, 'elevenlabs'))?.apiKey).toBe(ELEVEN_KEY);
      expect((await c.providerKeys.resolve(tenantId, 'sendgrid'))?.apiKey).toBe('SG.tenant-key-0123');
      const row = await c.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow();
      expect(c.secretBox.open(row.secret, `webhook:${tenantId}:${hook.id}`)).toBe(hook.secret);
      const row2 = await c.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', hook2.id).executeTakeFirstOrThrow();
      expect(c.secretBox.open(row2.secret, `webhook:${tenantId}:${hook2.id}`)).toBe(hook2.secret);
    } finally {
      await c.close();
    }
  }, 120_000);
});

describe("a workspace's stored OpenAI key is the one its summaries use", () => {
  let env: TestEnv;
  let serverFake: OpenAiChatFake;
  let tenantFake: OpenAiChatFake;
  const TENANT_KEY = 'sk-tenant-own-key-0123456789';
  const summary = { summary: 'They ask for a price.', bullets: ['Price'], asks: ['A price'], people: [], dates: [], numbers: [] };

  beforeAll(async () => {
    serverFake = await startOpenAiChatFake('sk-server-key-0000');
    tenantFake = await startOpenAiChatFake(TENANT_KEY);
    for (const f of [serverFake, tenantFake]) f.reply(() => ({ content: JSON.stringify(summary) }));
    // The fakes listen on loopback: the harness allows private networks (as for webhook receivers).
    env = await createTestEnv('pglite', { env: { OPENAI_BASE_URL: serverFake.baseURL, OPENAI_API_KEY: 'sk-server-key-0000', LLM_TIMEOUT_MS: '2000' } });
  });
  afterAll(async () => {
    await env.close();
    await serverFake.close();
    await tenantFake.close();
  });

  it('sends the workspace key to its base URL, the server key for other workspaces, and the server key again once deleted', async () => {
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    const email = { subject: 'Pricing', body: 'Hi, could you send me a price for 40 seats? Thanks, Lan', from: { name: 'Lan', email: 'lan@customer.example' } };
    const summarize = async (token: string) => {
      const r = await env.request('/api/v1/emails/summarize', { method: 'POST', token, ...jsonBody(email) });
      expect(r.status).toBe(200);
      return ((await r.json()) as { engine: string }).engine;
    };
    expect(await summarize(admin)).toBe('llm');
    expect([serverFake.requests.length, tenantFake.requests.length]).toEqual([1, 0]);
    expect((await env.request('/api/v1/settings/provider-keys/openai', { method: 'PUT', token: admin, ...jsonBody({ api_key: TENANT_KEY, base_url: tenantFake.baseURL }) })).status).toBe(200);
    expect(await summarize(admin)).toBe('llm');
    expect(tenantFake.requests.at(-1)!.authorization).toBe(`Bearer ${TENANT_KEY}`);
    expect(serverFake.requests).toHaveLength(1);
    const reg = await env.request('/api/v1/auth/register', { method: 'POST', ...jsonBody({ tenant_name: 'Other', tenant_domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }) });
    const other = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
    expect(await summarize(other)).toBe('llm');
    expect(serverFake.requests).toHaveLength(2);
    expect((await env.request('/api/v1/settings/provider-keys/openai', { method: 'DELETE', token: admin })).status).toBe(204);
    expect(await summarize(admin)).toBe('llm');
    expect([serverFake.requests.length, tenantFake.requests.length]).toEqual([3, 1]);
  });
});

describe("a workspace's stored OpenAI key speaks its videos (OpenAI TTS)", () => {
  let env: TestEnv;
  let serverFake: OpenAiFake;
  let tenantFake: OpenAiFake;
  const TENANT_KEY = 'sk-tenant-tts-key-0123456789';

  beforeAll(async () => {
    serverFake = await startOpenAiFake({ apiKey: 'sk-server-tts-0000', msPerChar: 5 });
    tenantFake = await startOpenAiFake({ apiKey: TENANT_KEY, msPerChar: 5 });
    env = await createTestEnv('pglite', { env: { OPENAI_API_KEY: 'sk-server-tts-0000', OPENAI_BASE_URL: serverFake.baseURL } });
  });
  afterAll(async () => {
    await env.close();
    await serverFake.close();
    await tenantFake.close();
  });

  it('uses the workspace key and base URL when stored, the server key otherwise', async () => {
    const tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
    const avatar = await env.container.db.selectFrom('avatars').select(['id', 'voice_settings', 'voice_key', 'provider_ids']).where('id', '=', DEMO.avatarId).executeTakeFirstOrThrow();
    const speak = async () =>
      env.container.speech.resolveSpeech({
        tenantId,
        video: { script: 'Hello Lan, here is the quote.', language: 'en', options: { tts: { engine: 'openai', voice: 'nova' } } },
        avatar,
        workDir: await fs.mkdtemp(path.join(env.dataDir, 'work-')),
      });
    expect((await speak()).source).toBe('tts');
    expect([serverFake.requests.length, tenantFake.requests.length]).toEqual([1, 0]);
    const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    expect((await env.request('/api/v1/settings/provider-keys/openai', { method: 'PUT', token: admin, ...jsonBody({ api_key: TENANT_KEY, base_url: tenantFake.baseURL }) })).status).toBe(200);
    const spoken = await speak();
    expect(spoken.durationSec).toBeGreaterThan(0);
    expect(tenantFake.requests.at(-1)!.authorization).toBe(`Bearer ${TENANT_KEY}`);
    expect(serverFake.requests).toHaveLength(1);
  });
});
