import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';

describeEachBackend('video list search (?q=)', (backend) => {
  let env: TestEnv;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    // The queue is running (videos are queued on create); no worker renders them.
    env = await createTestEnv(backend, { startQueue: true });
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const make = (token: string, body: Record<string, string>) =>
      env.request('/api/v1/videos', { method: 'POST', token, ...jsonBody({ avatar_id: DEMO.avatarId, renderer: 'static', ...body }) }).then((r) => expect(r.status).toBe(202));
    await make(admin, { title: 'Pricing for the pilot', script: 'Hello Priya, here is the price.' });
    await make(admin, { title: 'Căn hộ Thảo Điền', script: 'Chào chị Lan, căn hộ có ban công.' });
    await make(admin, { script: 'A discount of 100% off_peak, just for you.' });
    await make(user, { title: 'Pricing follow-up', script: 'Hi again.' });
  });
  afterAll(() => env.close());

  const titles = async (token: string, q: string) => {
    const res = await env.request(`/api/v1/videos?q=${encodeURIComponent(q)}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { title: string | null; script: string }[]; total: number };
    expect(body.total).toBe(body.items.length);
    return body.items.map((v) => v.title ?? v.script).sort();
  };

  it('finds words in the title or the script, case-insensitively, with Vietnamese text', async () => {
    expect(await titles(admin, 'pricing')).toEqual(['Pricing follow-up', 'Pricing for the pilot']);
    expect(await titles(admin, 'PRIYA')).toEqual(['Pricing for the pilot']);
    expect(await titles(admin, 'Thảo Điền')).toEqual(['Căn hộ Thảo Điền']);
    expect(await titles(admin, 'ban công')).toEqual(['Căn hộ Thảo Điền']);
  });

  it('matches % and _ literally, not as wildcards', async () => {
    expect(await titles(admin, '100%')).toEqual(['A discount of 100% off_peak, just for you.']);
    expect(await titles(admin, 'f_p')).toEqual(['A discount of 100% off_peak, just for you.']);
    expect(await titles(admin, '%')).toEqual(['A discount of 100% off_peak, just for you.']);
    expect(await titles(admin, 'o_f')).toEqual([]);
  });

  it('still shows a user only their own videos', async () => {
    expect(await titles(user, 'pricing')).toEqual(['Pricing follow-up']);
  });
});
