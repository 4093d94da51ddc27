import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { startS3Server } from '../../test/s3-server';
import { exifRotatedJpeg, upload } from '../../test/fixtures/images/media';

describeEachBackend('avatars on S3 storage (s3rver on loopback)', (backend) => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let env: TestEnv;
  let token: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    // S3_* in the environment make the container build the S3 driver through the factory.
    env = await createTestEnv(backend, { startQueue: true, env: { ...s3.env, S3_BUCKET: `mvs-avatars-${backend}` } });
    token = await env.login(DEMO.admin.email, DEMO.admin.password);
  });
  afterAll(async () => {
    await env.close();
    await s3.close();
  });

  it('seeds the demo photo into the bucket and reports storage ready', async () => {
    expect(env.container.storage.kind).toBe('s3');
    const demo = (await (await env.request(`/api/v1/avatars/${DEMO.avatarId}`, { token })).json()) as { photo_url: string };
    expect(demo.photo_url).toContain(`127.0.0.1:${s3.port}/mvs-avatars-${backend}/`);
    const res = await fetch(demo.photo_url);
    expect(res.status).toBe(200);
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(512);
    const ready = (await (await env.request('/readyz')).json()) as { checks: { storage: string } };
    expect(ready.checks.storage).toBe('ok');
  });

  it('uploads a photo into S3, serves it with Range from the API and removes it on delete', async () => {
    const created = await env.request('/api/v1/avatars/', { method: 'POST', token, ...jsonBody({ name: 'On S3' }) });
    const { id } = (await created.json()) as { id: string };
    const up = await env.request(`/api/v1/avatars/${id}/upload-photo`, { ...upload('photo', await exifRotatedJpeg(), 'p.jpg', 'image/jpeg'), token });
    expect(up.status).toBe(200);
    const a = (await up.json()) as { photo_url: string; photo_width: number };
    expect(a.photo_width).toBe(300);
    const direct = Buffer.from(await (await fetch(a.photo_url)).arrayBuffer());
    expect((await sharp(direct).metadata()).exif).toBeUndefined();

    const part = await env.request(`/api/v1/avatars/${id}/photo`, { token, headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(direct.subarray(0, 10));

    const key = new URL(a.photo_url).pathname.split('/').slice(2).join('/');
    expect(await env.container.storage.stat(key)).not.toBeNull();
    expect((await env.request(`/api/v1/avatars/${id}`, { method: 'DELETE', token })).status).toBe(204);
    expect(await env.container.storage.stat(key)).toBeNull();
  });
});
