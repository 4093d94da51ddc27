import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { prepareServiceFor } from '../render/prepare/prepare.service';

describeEachBackend('avatar mouth shapes (read-only sprite preview)', (backend) => {
  let env: TestEnv;
  let user: string;
  let otherAdmin: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(() => env.close());

  const path = `/api/v1/avatars/${DEMO.avatarId}/mouth-shapes`;

  it('answers 409 avatar_not_ready, saying why, before the photo is prepared', async () => {
    const res = await env.request(path, { token: user });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'avatar_not_ready', message: expect.stringMatching(/still being prepared/) });
  });

  it('lists the prepared sprites as signed links to full frames that differ only inside the mouth box', async () => {
    const tenantId = (await env.container.db.selectFrom('tenants').select('id').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).id;
    await prepareServiceFor(env.container).prepare(tenantId, DEMO.avatarId, ['portrait']);
    const res = await env.request(path, { token: user });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { width: number; height: number; mouth_box: { x: number; y: number; w: number; h: number }; items: { name: string; kind: string; url: string }[] };
    expect(body.items.filter((i) => i.kind === 'mouth').length).toBeGreaterThanOrEqual(6);
    expect(body.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['closed', 'rounded', 'blink']));
    const load = async (url: string) => {
      const u = new URL(url);
      const file = await env.request(u.pathname + u.search);
      expect(file.status).toBe(200);
      return Buffer.from(await file.arrayBuffer());
    };
    const first = await load(body.items[0]!.url);
    const widest = await load(body.items.filter((i) => i.kind === 'mouth').at(-1)!.url);
    expect(await sharp(first).metadata()).toMatchObject({ format: 'jpeg', width: body.width, height: body.height });
    // The widest mouth differs from the rest mouth inside the mouth box.
    const crop = (b: Buffer) => sharp(b).extract({ left: body.mouth_box.x, top: body.mouth_box.y, width: body.mouth_box.w, height: body.mouth_box.h }).raw().toBuffer();
    const [a, b] = await Promise.all([crop(first), crop(widest)]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    expect(diff / a.length).toBeGreaterThan(2);
  });

  it("is tenant-isolated: another workspace gets 404 for this avatar", async () => {
    expect((await env.request(path, { token: otherAdmin })).status).toBe(404);
    expect((await env.request(path)).status).toBe(401);
  });
});
