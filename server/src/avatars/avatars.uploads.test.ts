import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { elfBinary, exifRotatedJpeg, noisePng, pngHeaderOnly, solid, upload, wavTone } from '../../test/fixtures/images/media';

interface AvatarJson {
  id: string;
  status: string;
  photo_url: string | null;
  photo_width: number | null;
  photo_height: number | null;
  has_voice: boolean;
  voice_duration_sec: number | null;
}

describeEachBackend('avatar uploads', (backend) => {
  let env: TestEnv;
  let token: string;
  let id: string;

  const post = (suffix: string, init: RequestInit) => env.request(`/api/v1/avatars/${id}${suffix}`, { ...init, token });
  const expectError = async (res: Response, status: number, code: string) => {
    const body = (await res.json()) as { code: string; message: string };
    expect({ status: res.status, code: body.code }, body.message).toEqual({ status, code });
    return body.message;
  };
  const row = async () => (await env.container.avatars.get(tenantId, id))!;
  let tenantId: string;

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true });
    token = await env.login(DEMO.user.email, DEMO.user.password);
    const res = await env.request('/api/v1/avatars', { method: 'POST', token, ...jsonBody({ name: 'Uploads' }) });
    id = ((await res.json()) as AvatarJson).id;
    tenantId = (await env.container.db.selectFrom('avatars').select('tenant_id').where('id', '=', id).executeTakeFirstOrThrow()).tenant_id;
  });
  afterAll(() => env.close());

  it('stores a PNG photo, sets its size, marks the avatar processing and serves it back', async () => {
    const png = await noisePng(600, 400);
    const res = await post('/upload-photo', upload('photo', png, 'me.png', 'image/png'));
    expect(res.status).toBe(200);
    const a = (await res.json()) as AvatarJson;
    expect(a).toMatchObject({ status: 'processing', photo_width: 600, photo_height: 400 });
    const served = await env.request(`/api/v1/avatars/${id}/photo`, { token });
    expect(served.headers.get('content-type')).toBe('image/png');
    const raw = await sharp(Buffer.from(await served.arrayBuffer())).raw().toBuffer();
    expect(raw.equals(await sharp(png).raw().toBuffer())).toBe(true); // lossless for PNG
    const viaUrl = await env.request(new URL(a.photo_url!).pathname + new URL(a.photo_url!).search);
    expect(viaUrl.status).toBe(200);
  });

  it('applies the EXIF orientation and strips EXIF and GPS from a JPEG before storing it', async () => {
    const jpeg = await exifRotatedJpeg();
    const inMeta = await sharp(jpeg).metadata();
    expect([inMeta.orientation, inMeta.width, inMeta.height]).toEqual([6, 400, 300]);
    expect(inMeta.exif?.includes('Secret Photographer')).toBe(true);
    const res = await post('/upload-photo', upload('photo', jpeg, 'phone.jpg', 'image/jpeg'));
    expect(res.status).toBe(200);
    const a = (await res.json()) as AvatarJson;
    expect([a.photo_width, a.photo_height]).toEqual([300, 400]);
    const stored = await env.container.storage.getBuffer((await row()).photo_key!);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 300, height: 400 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(stored.includes('Secret Photographer')).toBe(false);
    // Upright: the red half (left in the raw pixels) is now on top.
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * 300 + x) * 3, (y * 300 + x) * 3 + 3)];
    expect(px(150, 50)[0]).toBeGreaterThan(200);
    expect(px(150, 350)[2]).toBeGreaterThan(200);
  });

  it('accepts WebP by content even when declared as something else', async () => {
    const res = await post('/upload-photo', upload('photo', await solid(300, 300, 'webp'), 'photo.bin', 'application/octet-stream'));
    expect(res.status).toBe(200);
    expect((await row()).photo_mime).toBe('image/jpeg');
  });

  it('refuses an executable renamed .jpg with 415 unsupported_file_type', async () => {
    const before = (await row()).photo_key;
    await expectError(await post('/upload-photo', upload('photo', elfBinary(), 'me.jpg', 'image/jpeg')), 415, 'unsupported_file_type');
    expect((await row()).photo_key).toBe(before);
  });

  it('refuses a file over 10 MB with 413 file_too_large while reading it', async () => {
    const jpeg = await solid(300, 300, 'jpeg');
    // Just over the limit: within the multipart allowance, refused by the photo check itself.
    const justOver = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 + 1 - jpeg.length)]);
    expect(await expectError(await post('/upload-photo', upload('photo', justOver, 'big.jpg', 'image/jpeg')), 413, 'file_too_large')).toMatch(/limit is 10\.0 MB/);
    // Far over: the streamed body (no content-length) is cut off by the body cap while it is read.
    const big = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 + 200 * 1024)]);
    expect(await expectError(await post('/upload-photo', upload('photo', big, 'big.jpg', 'image/jpeg')), 413, 'file_too_large')).toMatch(/larger than 10 MB/);
    // A declared length over the cap is refused before the body is read.
    const fd = new Response(upload('photo', big, 'big.jpg', 'image/jpeg').body as FormData);
    const bytes = Buffer.from(await fd.arrayBuffer());
    const res = await env.request(`/api/v1/avatars/${id}/upload-photo`, {
      method: 'POST',
      token,
      headers: { 'content-type': fd.headers.get('content-type')!, 'content-length': String(bytes.length) },
      body: bytes,
    });
    await expectError(res, 413, 'file_too_large');
    await expectError(await post('/upload-voice', upload('voice', big, 'big.wav', 'audio/wav')), 413, 'file_too_large');
  });

  it('refuses a tiny file declaring a 10000x10000 canvas with 413 before decoding it', async () => {
    const bomb = pngHeaderOnly(10_000, 10_000);
    expect(bomb.length).toBeLessThan(100);
    expect(await expectError(await post('/upload-photo', upload('photo', bomb, 'bomb.png', 'image/png')), 413, 'file_too_large')).toMatch(/megapixels/);
  });

  it('refuses a truncated PNG with 422 unreadable_file', async () => {
    const png = await noisePng(512, 512);
    const cut = png.subarray(0, Math.floor(png.length * 0.6));
    await expectError(await post('/upload-photo', upload('photo', cut, 'cut.png', 'image/png')), 422, 'unreadable_file');
  });

  it('refuses a 1x1 image with 422 image_too_small, naming the minimum', async () => {
    const msg = await expectError(await post('/upload-photo', upload('photo', await solid(1, 1, 'png'), 'dot.png', 'image/png')), 422, 'image_too_small');
    expect(msg).toContain('256');
    await expectError(await post('/upload-photo', upload('photo', await solid(255, 900, 'jpeg'), 'thin.jpg', 'image/jpeg')), 422, 'image_too_small');
  });

  it('answers 422 missing_file when the field is absent', async () => {
    await expectError(await post('/upload-photo', upload('picture', await solid(300, 300, 'png'), 'a.png', 'image/png')), 422, 'missing_file');
  });

  it('stores a WAV voice sample with its measured duration', async () => {
    const res = await post('/upload-voice', upload('voice', wavTone(2.5), 'me.wav', 'audio/wav'));
    expect(res.status).toBe(200);
    const a = (await res.json()) as AvatarJson;
    expect(a.has_voice).toBe(true);
    expect(a.voice_duration_sec).toBeCloseTo(2.5, 2);
    const r = await row();
    expect(r.voice_mime).toBe('audio/wav');
    expect((await env.container.storage.getBuffer(r.voice_key!)).length).toBe(wavTone(2.5).length);
  });

  it('refuses a text file sent as audio/mpeg with 415, and a WAV header without audio with 422', async () => {
    const text = Buffer.from('Hello, this is not a recording at all.\n'.repeat(20));
    await expectError(await post('/upload-voice', upload('voice', text, 'voice.mp3', 'audio/mpeg')), 415, 'unsupported_file_type');
    const broken = Buffer.from(wavTone(1).subarray(0, 12));
    await expectError(await post('/upload-voice', upload('voice', broken, 'voice.wav', 'audio/wav')), 422, 'unreadable_file');
    expect((await row()).voice_duration_sec).toBeCloseTo(2.5, 2);
  });

  it('deletes the stored photo and voice with the avatar', async () => {
    const r = await row();
    expect(await env.container.storage.stat(r.photo_key!)).not.toBeNull();
    expect((await env.request(`/api/v1/avatars/${id}`, { method: 'DELETE', token })).status).toBe(204);
    expect(await env.container.storage.stat(r.photo_key!)).toBeNull();
    expect(await env.container.storage.stat(r.voice_key!)).toBeNull();
  });
});
