import dns from 'node:dns/promises';
import http from 'node:http';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, DEMO, jsonBody, type TestEnv } from '../../test/harness';
import { BlockedAddressError, isPrivateAddress, postOutbound } from './outbound';

describe('outbound SSRF guard', () => {
  let receiver: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => receiver.close(r)));

  it('classifies private, loopback, link-local, CGNAT and reserved addresses, IPv4 and IPv6', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  const post = (url: string, allowPrivate: boolean) => postOutbound(url, { headers: { 'content-type': 'application/json' }, body: '{}', allowPrivate });

  it('refuses literal private IPs and localhost before connecting, and host names that resolve to one when connecting', async () => {
    const before = hits;
    await expect(post(`http://127.0.0.1:${port}/x`, false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(post(`http://[::1]:${port}/x`, false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(post(`http://localhost:${port}/x`, false)).rejects.toBeInstanceOf(BlockedAddressError);
    // A name (not an IP, not "localhost") that this machine resolves to loopback: caught at connect time.
    let name: string | undefined;
    for (const candidate of [os.hostname(), 'ip6-localhost', 'localhost.localdomain']) {
      const addrs = await dns.lookup(candidate, { all: true }).catch(() => []);
      if (addrs.length && addrs.every((a) => isPrivateAddress(a.address))) {
        name = candidate;
        break;
      }
    }
    expect(name, 'this machine resolves none of its own names to loopback').toBeDefined();
    const err = await post(`http://${name}:${port}/x`, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect(String((err as Error).message)).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
    expect(hits).toBe(before);
  });

  it('delivers to the same receiver when private networks are allowed', async () => {
    const before = hits;
    expect((await post(`http://127.0.0.1:${port}/x`, true)).status).toBe(204);
    expect(hits).toBe(before + 1);
  });

  describe('webhook endpoints with the guard on', () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await createTestEnv('pglite', { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
    });
    afterAll(() => env.close());

    it('answers 422 url_not_public for loopback, metadata and private URLs, and accepts a public one', async () => {
      const admin = await env.login(DEMO.admin.email, DEMO.admin.password);
      for (const url of [`http://127.0.0.1:${port}/hooks`, 'http://169.254.169.254/latest/meta-data', 'https://10.0.0.5/hook', 'http://localhost:8080/x', 'http://[::1]/x']) {
        const res = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url, events: ['video.completed'] }) });
        expect(res.status, url).toBe(422);
        const body = (await res.json()) as { code: string; message: string };
        expect(body.code).toBe('url_not_public');
        expect(body.message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS');
      }
      const ok = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: 'https://hooks.example.com/mvs', events: ['video.completed'] }) });
      expect(ok.status).toBe(201);
    });
  });
});
