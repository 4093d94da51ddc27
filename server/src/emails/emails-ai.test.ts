import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../http/app';
import { createTestEnv, describeEachBackend, jsonBody, type TestEnv } from '../../test/harness';
import { loadEmail } from '../../test/fixtures/load-email';
import { startOpenAiChatFake, type OpenAiChatFake } from '../../test/fakes/openai-chat.fake';
import { createEmailAi } from './emails-ai.wiring';

const post = (env: TestEnv, path: string, token: string, body: unknown) =>
  env.request(path, { method: 'POST', token, ...jsonBody(body) });

describeEachBackend('POST /api/v1/emails/summarize and /draft-script', (backend) => {
  let env: TestEnv;
  let user: string;
  beforeAll(async () => {
    env = await createTestEnv(backend);
    user = await env.login('user@demo.com', 'user123');
  });
  afterAll(async () => env?.close());

  it('summarizes a Vietnamese email with the offline engine when no model is configured', async () => {
    const res = await post(env, '/api/v1/emails/summarize', user, await loadEmail('real-estate-vi'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { engine: string; language: string; asks: string[]; numbers: string[] };
    expect(body.engine).toBe('offline');
    expect(body.language).toBe('vi');
    expect(body.asks).toHaveLength(3);
    expect(body.numbers).toContain('18 triệu đồng');
  });

  it('drafts a script that greets the author and fits the requested 20 s', async () => {
    const res = await post(env, '/api/v1/emails/draft-script', user, { ...(await loadEmail('sales-followup-en')), length_sec: 20, tone: 'friendly' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { script: string; estimated_seconds: number; engine: string; language: string };
    expect(body).toMatchObject({ engine: 'offline', language: 'en' });
    expect(body.script).toMatch(/^Hi Priya!/);
    expect(body.estimated_seconds).toBeLessThanOrEqual(20);
  });

  it('refuses anonymous callers with 401 and viewers with 403', async () => {
    const email = await loadEmail('sales-followup-en');
    expect((await env.request('/api/v1/emails/summarize', { method: 'POST', ...jsonBody(email) })).status).toBe(401);
    const admin = await env.login('admin@demo.com', 'admin123');
    const invite = await post(env, '/api/v1/users', admin, { email: 'viewer@demo.com', password: 'Viewer123', role: 'viewer' });
    expect(invite.status).toBe(201);
    const viewer = await env.login('viewer@demo.com', 'Viewer123');
    const res = await post(env, '/api/v1/emails/draft-script', viewer, email);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
  });

  it('rejects a body over 100,000 characters with 422 and a request over 512 KB with 413', async () => {
    const long = await post(env, '/api/v1/emails/summarize', user, { subject: 'x', body: 'a'.repeat(100_001) });
    expect(long.status).toBe(422);
    expect(((await long.json()) as { message: string }).message).toMatch(/body is over 100,000 characters/);
    const huge = await post(env, '/api/v1/emails/summarize', user, { subject: 'x', body: 'ầ'.repeat(100_000), pad: 'b'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('payload_too_large');
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await (await env.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/emails/summarize', '/api/v1/emails/draft-script', '/api/v1/auth/entra']));
  });

  it('drafts a script for an email without a body, still greeting the author', async () => {
    const res = await post(env, '/api/v1/emails/draft-script', user, { subject: 'Quick call?', body: '', from: { name: 'Trần Văn Minh', email: 'minh@x.vn' }, language: 'vi' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { script: string }).script).toMatch(/^Chào anh Minh!/);
  });

  it('rejects an unknown length with 422 naming the field', async () => {
    const res = await post(env, '/api/v1/emails/draft-script', user, { subject: 's', body: 'Hi', length_sec: 45 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/^length_sec/);
  });

  describe('with an OpenAI-compatible model configured', () => {
    let fake: OpenAiChatFake;
    let post: (env: TestEnv, path: string, token: string, body: unknown) => Promise<Response>;
    beforeAll(async () => {
      fake = await startOpenAiChatFake();
      // The same database and users, wired with OPENAI_* set: what the container builds at boot with these env vars.
      const config = { ...env.config, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: fake.apiKey, OPENAI_MODEL: 'test-chat-model', LLM_TIMEOUT_MS: 1000 };
      const app = createApp({ ...env.container, config, ...createEmailAi(config, env.container.logger) });
      post = async (_env, path, token, body) => app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    });
    afterAll(async () => fake?.close());

    it('sends the cleaned email to the model in JSON mode and returns its summary', async () => {
      fake.requests.length = 0;
      const answer = {
        summary: 'Priya needs a pilot price, EU data residency and a CFO summary before December 2.',
        bullets: ['Pilot for 40 vehicles'],
        asks: ['Price for 40 vehicles for 3 months'],
        people: ['Priya Raman', 'Martin'],
        dates: ['December 2'],
        numbers: ['40 vehicles'],
      };
      fake.reply(() => ({ content: JSON.stringify(answer) }));
      const res = await post(env, '/api/v1/emails/summarize', user, await loadEmail('sales-followup-en'));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ...answer, language: 'en', engine: 'llm' });
      expect(fake.requests).toHaveLength(1);
      const sent = fake.requests[0]!.body;
      expect(sent.model).toBe('test-chat-model');
      expect(sent.response_format).toEqual({ type: 'json_object' });
      const userMsg = sent.messages!.find((m) => m.role === 'user')!.content;
      expect(userMsg).toContain('A price for 40 vehicles for 3 months');
      expect(userMsg).toContain('Subject: Pricing for the fleet tracking pilot');
      expect(userMsg).not.toContain('Head of Operations'); // the signature was removed before sending
    });

    it('uses the model script in the right language, trimmed to the length', async () => {
      fake.requests.length = 0;
      const filler = Array.from({ length: 40 }, (_, i) => `Chúng tôi sẽ chuẩn bị mục số ${i + 1} cho chị.`).join(' ');
      fake.reply(() => ({ content: JSON.stringify({ script: `Chào chị Lan! ${filler} Trân trọng, Quân.` }) }));
      const res = await post(env, '/api/v1/emails/draft-script', user, { ...(await loadEmail('real-estate-vi')), length_sec: 20 });
      const body = (await res.json()) as { script: string; engine: string; language: string; estimated_seconds: number };
      expect(body).toMatchObject({ engine: 'llm', language: 'vi' });
      expect(body.script).toMatch(/^Chào chị Lan! Chúng tôi sẽ chuẩn bị mục số 1 cho chị\./);
      expect(body.script).toMatch(/Trân trọng, Quân\.$/);
      expect(body.estimated_seconds).toBeLessThanOrEqual(20);
      const system = fake.requests[0]!.body.messages!.find((m) => m.role === 'system')!.content;
      expect(system).toContain('Begin with exactly: "Chào chị Lan!"');
      expect(fake.requests[0]!.body.messages!.find((m) => m.role === 'user')!.content).toContain('Phí quản lý và phí gửi xe là bao nhiêu?');
    });

    it('falls back to the offline engine when the model answers broken JSON, the wrong shape or the wrong language', async () => {
      fake.reply(() => ({ content: 'Sure! Here is your summary: the customer wants a price.' }));
      const a = (await (await post(env, '/api/v1/emails/summarize', user, await loadEmail('sales-followup-en'))).json()) as { engine: string; asks: string[] };
      expect(a.engine).toBe('offline');
      expect(a.asks).toHaveLength(3);
      fake.reply(() => ({ content: JSON.stringify({ summary: 'ok', bullets: 'not an array' }) }));
      const b = (await (await post(env, '/api/v1/emails/summarize', user, await loadEmail('sales-followup-en'))).json()) as { engine: string };
      expect(b.engine).toBe('offline');
      const english = { summary: 'Lan asks about the flat.', bullets: [], asks: [], people: [], dates: [], numbers: [] };
      fake.reply(() => ({ content: JSON.stringify(english) }));
      const c = (await (await post(env, '/api/v1/emails/summarize', user, await loadEmail('real-estate-vi'))).json()) as { engine: string; language: string };
      expect(c).toMatchObject({ engine: 'offline', language: 'vi' });
    });

    it('falls back when the model errors, times out or writes the wrong language', async () => {
      const email = await loadEmail('recruiting-offer-vi');
      fake.reply(() => ({ status: 500, message: 'upstream exploded', headers: { 'x-should-retry': 'false' } }));
      const a = (await (await post(env, '/api/v1/emails/draft-script', user, email)).json()) as { engine: string; script: string };
      expect(a).toMatchObject({ engine: 'offline' });
      expect(a.script).toMatch(/^Chào Long!/);
      fake.reply(() => ({ content: JSON.stringify({ script: 'Chào Long! Cảm ơn em.' }), delayMs: 8000 }));
      const started = Date.now();
      const b = (await (await post(env, '/api/v1/emails/draft-script', user, email)).json()) as { engine: string };
      expect(b.engine).toBe('offline');
      expect(Date.now() - started).toBeLessThan(7000); // 1 s timeout and one retry, not the 8 s answer
      fake.reply(() => ({ content: JSON.stringify({ script: 'Hi Long! Thanks for the update about the candidate. Talk soon, Hà.' }) }));
      const c = (await (await post(env, '/api/v1/emails/draft-script', user, email)).json()) as { engine: string; language: string };
      expect(c).toMatchObject({ engine: 'offline', language: 'vi' });
    });
  });
});
