import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import dns from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, jsonBody, testConfig, type TestEnv } from '../../test/harness';
import { startDnsServer } from '../../test/dns-server';
import { createContainer } from '../container';
import { createLogger } from '../logger';
import { isPrivateAddress } from '../net/outbound';
import { seedDemo } from '../seed';
import { verifyWebhook } from './signature';

describeEachBackend('webhook signing secrets at rest', (backend) => {
  let env: TestEnv;
  let admin: string;
  let receiver: http.Server;
  let url: string;
  const hits: { signature: string; body: string }[] = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ signature: String(req.headers['x-mvs-signature']), body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/in`;
    env = await createTestEnv(backend);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
  });
  afterAll(async () => {
    await env.close();
    await new Promise((r) => receiver.close(r));
  });

  it('stores the signing secret encrypted (no plaintext in the column) and still signs deliveries with it', async () => {
    const res = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url, events: ['email.sent'] }) });
    expect(res.status).toBe(201);
    const { id, secret } = (await res.json()) as { id: string; secret: string };
    const row = await env.container.db.selectFrom('webhook_endpoints').select(['secret', 'tenant_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^mvs1:[0-9a-f]{8}:/);
    expect(row.secret).not.toContain(secret);
    expect(row.secret).not.toContain(secret.slice(6, 20));
    // Never shown again.
    expect(JSON.stringify(await (await env.request(`/api/v1/webhooks/${id}`, { token: admin })).json())).not.toContain(secret);
    expect(JSON.stringify(await (await env.request('/api/v1/webhooks', { token: admin })).json())).not.toContain(secret);

    const d = await env.container.db
      .insertInto('webhook_deliveries')
      .values({ tenant_id: row.tenant_id, endpoint_id: id, event: 'email.sent', payload: JSON.stringify({ id: 'd1', type: 'email.sent' }), status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await env.container.webhooks.deliver(row.tenant_id, d.id, { retryCount: 0 })).toBe('delivered');
    const hit = hits.at(-1)!;
    expect(verifyWebhook(secret, hit.signature, hit.body)).toBe(true);
  });
});

describe('webhook secrets stored in clear before the upgrade', () => {
  it('are encrypted when the server starts, and deliveries still verify with the original secret', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-legacy-'));
    const config = testConfig(dataDir, { SECRET_KEY: 'legacy-secret-'.repeat(4) });
    const pgliteDir = path.join(dataDir, 'pglite');
    try {
      const first = await createContainer(config, createLogger('silent'), { pgliteDir });
      const { tenantId } = await seedDemo(first);
      const legacy = 'whsec_legacyPlainTextSecret0123456789';
      const { id } = await first.db
        .insertInto('webhook_endpoints')
        .values({ tenant_id: tenantId, url: 'https://hooks.example.com/x', events: JSON.stringify(['email.sent']), secret: legacy })
        .returning('id')
        .executeTakeFirstOrThrow();
      await first.close();

      const second = await createContainer(config, createLogger('silent'), { pgliteDir });
      try {
        const row = await second.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', id).executeTakeFirstOrThrow();
        expect(row.secret).toMatch(/^mvs1:/);
        expect(row.secret).not.toContain(legacy);
        expect(second.secretBox.open(row.secret, `webhook:${tenantId}:${id}`)).toBe(legacy);
      } finally {
        await second.close();
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('webhook registration resolves host names (SSRF)', () => {
  let env: TestEnv;
  let admin: string;
  let dnsServer: Awaited<ReturnType<typeof startDnsServer>>;
  const register = (url: string) => env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url, events: ['video.completed'] }) });

  beforeAll(async () => {
    // localtest.me-style names: public DNS names whose A record is loopback or private.
    dnsServer = await startDnsServer({
      'hook.localtest.me': '127.0.0.1',
      'intranet.attacker.example': '10.1.2.3',
      'metadata.attacker.example': '169.254.169.254',
      'hooks.public.example': '93.184.216.34',
    });
    env = await createTestEnv('pglite', { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }, container: { resolveHost: dnsServer.resolver } });
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
  });
  afterAll(async () => {
    await env.close();
    await dnsServer.close();
  });

  it('answers 422 url_not_public for names that resolve to loopback, private or metadata addresses, and stores nothing', async () => {
    for (const url of ['http://hook.localtest.me:8080/x', 'https://intranet.attacker.example/hook', 'http://metadata.attacker.example/latest']) {
      const res = await register(url);
      expect(res.status, url).toBe(422);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('url_not_public');
      expect(body.message).toMatch(/resolves to (127\.0\.0\.1|10\.1\.2\.3|169\.254\.169\.254)/);
    }
    expect((await (await env.request('/api/v1/webhooks', { token: admin })).json()) as { items: unknown[] }).toEqual({ items: [] });
  });

  it('accepts a name that resolves to a public address, and one that does not resolve yet (deliveries check again)', async () => {
    expect((await register('https://hooks.public.example/mvs')).status).toBe(201);
    expect((await register('https://not-yet.public.example/mvs')).status).toBe(201);
  });

  it('refuses changing an endpoint to such a name', async () => {
    const { id } = (await (await register('https://hooks.public.example/two')).json()) as { id: string };
    const res = await env.request(`/api/v1/webhooks/${id}`, { method: 'PATCH', token: admin, ...jsonBody({ url: 'http://hook.localtest.me/x' }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('url_not_public');
  });

  it("resolves with the system resolver by default: this machine's own name (loopback in /etc/hosts) is refused", async () => {
    let name: string | undefined;
    for (const candidate of [os.hostname(), 'ip6-localhost', 'localhost.localdomain']) {
      const addrs = await dns.lookup(candidate, { all: true }).catch(() => []);
      if (addrs.length && addrs.some((a) => isPrivateAddress(a.address))) {
        name = candidate;
        break;
      }
    }
    expect(name, 'this machine resolves none of its own names to a private address').toBeDefined();
    const system = await createTestEnv('pglite', { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
    try {
      const token = await system.login(DEMO.admin.email, DEMO.admin.password);
      const res = await system.request('/api/v1/webhooks', { method: 'POST', token, ...jsonBody({ url: `http://${name}:9/x`, events: ['video.completed'] }) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('url_not_public');
    } finally {
      await system.close();
    }
  });
});
