import { createHmac } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';

describeEachBackend('webhook "send test"', (backend) => {
  let env: TestEnv;
  let receiver: http.Server;
  let url: string;
  let answer = 200;
  const hits: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let admin: string;
  let user: string;
  let otherAdmin: string;
  let hook: { id: string; secret: string };

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hits.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    env = await createTestEnv(backend);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
    const created = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url, events: ['video.viewed', 'cta.clicked'] }) });
    hook = (await created.json()) as { id: string; secret: string };
  });
  afterAll(async () => {
    await env.close();
    await new Promise((r) => receiver.close(r));
  });

  const test = (token: string, id = hook.id) => env.request(`/api/v1/webhooks/${id}/test`, { method: 'POST', token });

  it('delivers a signed test event at once and logs it as delivered', async () => {
    const res = await test(admin);
    expect(res.status).toBe(200);
    const d = (await res.json()) as { id: string; event: string; status: string; attempts: number; last_status: number; payload: { test: boolean; type: string } };
    expect(d).toMatchObject({ event: 'video.viewed', status: 'delivered', attempts: 1, last_status: 200, payload: { test: true, type: 'video.viewed' } });
    const hit = hits.at(-1)!;
    const parts = Object.fromEntries(String(hit.headers['x-mvs-signature']).split(',').map((kv) => kv.split('=')));
    expect(parts.v1).toBe(createHmac('sha256', hook.secret).update(`${parts.t}.${hit.body}`).digest('hex'));
    const log = (await (await env.request(`/api/v1/webhooks/${hook.id}/deliveries`, { token: admin })).json()) as { items: { id: string }[] };
    expect(log.items.map((i) => i.id)).toContain(d.id);
  });

  it('reports a failing receiver with its answer, once, without queueing retries', async () => {
    answer = 503;
    const before = hits.length;
    const d = (await (await test(admin)).json()) as { status: string; last_status: number; last_error: string };
    expect(d).toMatchObject({ status: 'failed', last_status: 503, last_error: 'receiver answered 503' });
    expect(hits.length).toBe(before + 1);
    answer = 200;
  });

  it('is for admins of the workspace only', async () => {
    expect((await test(user)).status).toBe(403);
    expect((await test(otherAdmin)).status).toBe(404);
    expect((await env.request(`/api/v1/webhooks/${hook.id}/test`, { method: 'POST' })).status).toBe(401);
  });
});
