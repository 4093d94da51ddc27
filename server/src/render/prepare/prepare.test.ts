import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, DEMO, type TestEnv } from '../../../test/harness';
import type { JobContext } from '../../jobs/job-handler';
import { newKey } from '../../storage/storage';
import { prepareAvatarJob } from './prepare.job';
import { loadPreparedAvatar } from './prepare.service';
import { parsePreparedRecord } from './prepared-record';
import { MOUTH_LEVELS } from '../sprites/sprite-set';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/faces/', import.meta.url));
const ASTRONAUT = fs.readFileSync(`${FIXTURES}portrait-astronaut.png`);
const CAT = fs.readFileSync(`${FIXTURES}cat-chelsea.png`);

describeEachBackend('avatar preparation', (backend) => {
  let env: TestEnv;
  let tenantId: string;
  let ownerId: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    const t = await env.container.db.selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow();
    tenantId = t.id;
    const u = await env.container.db.selectFrom('users').select('id').where('email', '=', DEMO.admin.email).executeTakeFirstOrThrow();
    ownerId = u.id;
  });
  afterAll(async () => {
    await env?.close();
  });

  const ctx = (retryCount = 0): JobContext => ({
    container: env.container,
    log: env.container.logger,
    signal: new AbortController().signal,
    jobId: 'test',
    retryCount,
    retryLimit: 3,
  });

  /** An avatar row of the demo tenant with `photo` stored, status processing (as after an upload). */
  async function avatarWithPhoto(photo: Buffer, ext = 'png'): Promise<string> {
    const key = newKey(tenantId, 'avatars', ext);
    await env.container.storage.put(key, photo, `image/${ext}`);
    const row = await env.container.db
      .insertInto('avatars')
      .values({ tenant_id: tenantId, owner_id: ownerId, name: 'Test', photo_key: key, status: 'processing', updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const row = (id: string) => env.container.db.selectFrom('avatars').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const newPhoto = async (id: string, photo: Buffer) => {
    const key = newKey(tenantId, 'avatars', 'jpg');
    await env.container.storage.put(key, photo, 'image/jpeg');
    await env.container.db.updateTable('avatars').set({ photo_key: key }).where('id', '=', id).execute();
  };

  it('prepares a good photo: sprites in storage, avatars.prepared written, status ready', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    expect(await prepareAvatarJob({ avatarId: id, tenantId }, ctx())).toBe('success');
    const a = await row(id);
    expect(a.status).toBe('ready');
    expect(a.error_code).toBeNull();
    expect(a.prepared_at).toBeInstanceOf(Date);
    const rec = parsePreparedRecord(a.prepared);
    expect(rec?.photo_key).toBe(a.photo_key);
    const f = rec!.formats.portrait!;
    expect(f.keys.mouth.length).toBeGreaterThanOrEqual(6);
    for (const k of [...f.keys.mouth, f.keys.closed, f.keys.rounded, ...f.keys.blink]) {
      expect(k.startsWith(`${tenantId}/avatars/${id}/`)).toBe(true);
      expect((await env.container.storage.stat(k))?.size).toBeGreaterThan(10_000);
    }
  });

  it('loads the cached sprites without preparing again', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    await prepareAvatarJob({ avatarId: id, tenantId }, ctx());
    const before = await row(id);
    const p = await loadPreparedAvatar(env.container, before, 'portrait');
    expect([p.width, p.height]).toEqual([720, 1280]);
    expect(p.mouth.length).toBe(MOUTH_LEVELS);
    const meta = await sharp(p.closed).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 720, 1280]);
    const rec = parsePreparedRecord(before.prepared)!;
    expect(p.mouth[2]!.equals(await env.container.storage.getBuffer(rec.formats.portrait!.keys.mouth[2]!))).toBe(true);
    expect((await row(id)).prepared_at).toEqual(before.prepared_at);
  });

  it('prepares a missing format on load and keeps the cached one', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    await prepareAvatarJob({ avatarId: id, tenantId }, ctx());
    const portraitKeys = parsePreparedRecord((await row(id)).prepared)!.formats.portrait!.keys;
    const p = await loadPreparedAvatar(env.container, await row(id), 'square');
    expect([p.width, p.height]).toEqual([1080, 1080]);
    const rec = parsePreparedRecord((await row(id)).prepared)!;
    expect(rec.formats.square).toBeDefined();
    expect(rec.formats.portrait!.keys).toEqual(portraitKeys);
  });

  it('re-prepares on load when the photo changed, and deletes the old sprites', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    await prepareAvatarJob({ avatarId: id, tenantId }, ctx());
    const old = parsePreparedRecord((await row(id)).prepared)!;
    const oldFrame = await env.container.storage.getBuffer(old.formats.portrait!.keys.mouth[0]!);
    await newPhoto(id, await sharp(ASTRONAUT).flop().jpeg({ quality: 92 }).toBuffer());
    const p = await loadPreparedAvatar(env.container, await row(id), 'portrait');
    const rec = parsePreparedRecord((await row(id)).prepared)!;
    expect(rec.photo_sha256).not.toBe(old.photo_sha256);
    expect(p.mouth[0]!.equals(await env.container.storage.getBuffer(rec.formats.portrait!.keys.mouth[0]!))).toBe(true);
    expect(await env.container.storage.stat(old.formats.portrait!.keys.closed)).toBeNull();
    expect(p.mouth[0]!.equals(oldFrame)).toBe(false);
  });

  it('marks the avatar failed with no_face and the hint for a cat photo, without a retry', async () => {
    const id = await avatarWithPhoto(CAT);
    expect(await prepareAvatarJob({ avatarId: id, tenantId }, ctx())).toBe('skipped');
    const a = await row(id);
    expect(a.status).toBe('failed');
    expect(a.error_code).toBe('no_face');
    expect(a.error).toMatch(/frontal photo/);
    expect(a.prepared).toBeNull();
  });

  it('does not touch another tenant’s avatar', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    const other = await env.container.db.insertInto('tenants').values({ name: 'Other', domain: `other-${Date.now()}.com` }).returning('id').executeTakeFirstOrThrow();
    expect(await prepareAvatarJob({ avatarId: id, tenantId: other.id }, ctx())).toBe('skipped');
    const a = await row(id);
    expect(a.status).toBe('processing');
    expect(a.prepared).toBeNull();
  });

  it('throws for a retry when the photo is unreadable, and marks failed on the last attempt', async () => {
    const id = await avatarWithPhoto(ASTRONAUT);
    const a = await row(id);
    await env.container.storage.delete(a.photo_key!);
    await expect(prepareAvatarJob({ avatarId: id, tenantId }, ctx(0))).rejects.toThrow();
    expect((await row(id)).status).toBe('processing');
    await expect(prepareAvatarJob({ avatarId: id, tenantId }, ctx(3))).rejects.toThrow();
    const b = await row(id);
    expect([b.status, b.error_code]).toEqual(['failed', 'render_failed']);
  });
});
