import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';
import { solid, upload } from '../../test/fixtures/images/media';

/**
 * A row and the job that finishes it commit together or not at all (JobQueue.transaction). The failure is a real
 * one inside the database: a trigger makes the second write fail as a server shutting down does (SQLSTATE 57P01),
 * after the first write went through on the same connection. No code of ours is replaced.
 */
describeEachBackend('rows and their jobs in one transaction', (backend) => {
  let env: TestEnv;
  let user: string;
  let admin: string;
  let tenantId: string;

  const db = () => env.container.db;
  /** Makes every insert into `table` matching `when` fail like a database going away. */
  const failInserts = async (table: 'pgboss.job' | 'audit_log', when: string) => {
    await sql.raw(`create trigger mvs_test_outage before insert on ${table} for each row when (${when}) execute function mvs_test_outage()`).execute(db());
  };
  const jobs = async (name: string, field: string, value: string) =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${name} and data->>${field} = ${value}`.execute(db())).rows[0]!.n);
  const audits = async (action: string, targetId?: string) =>
    Number(
      (
        await db()
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', action)
          .$if(!!targetId, (q) => q.where('target_id', '=', targetId!))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const avatar = async (id: string) => (await env.container.avatars.get(tenantId, id))!;
  const expectUnavailable = async (res: Response) => {
    expect({ status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ status: 503, code: 'database_unavailable' });
  };

  beforeAll(async () => {
    env = await createTestEnv(backend, { startQueue: true }); // no worker: jobs stay queued where we can count them
    user = await env.login(DEMO.user.email, DEMO.user.password);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    tenantId = (await db().selectFrom('tenants').select('id').where('domain', '=', DEMO.tenant.domain).executeTakeFirstOrThrow()).id;
    await sql`create function mvs_test_outage() returns trigger language plpgsql as $$
      begin raise exception 'terminating connection due to administrator command' using errcode = '57P01'; end $$`.execute(db());
  });
  afterEach(async () => {
    for (const table of ['pgboss.job', 'audit_log']) await sql.raw(`drop trigger if exists mvs_test_outage on ${table}`).execute(db());
  });
  afterAll(() => env.close());

  it('creates no video when its render job cannot be queued, or its audit record cannot be written', async () => {
    const create = (script: string) => env.request('/api/v1/videos/', { method: 'POST', token: user, ...jsonBody({ avatar_id: DEMO.avatarId, script }) });
    const videos = (script: string) => db().selectFrom('videos').select('id').where('script', '=', script).execute();

    await failInserts('pgboss.job', "new.name = 'render-video'");
    await expectUnavailable(await create('No job, no video.'));
    expect(await videos('No job, no video.')).toEqual([]);
    await sql`drop trigger mvs_test_outage on pgboss.job`.execute(db());

    const before = await audits('video.created');
    await failInserts('audit_log', "new.action = 'video.created'");
    // 503 on PostgreSQL (the pool tags the failure); PGlite is in-process and cannot go away, so there it is a 500.
    expect((await create('No record, no video.')).status).toBe(backend === 'postgres' ? 503 : 500);
    expect(await videos('No record, no video.')).toEqual([]); // nor a render job: it had no video id to name
    expect(await audits('video.created')).toBe(before);
    await sql`drop trigger mvs_test_outage on audit_log`.execute(db());

    const ok = await create('All three.');
    expect(ok.status).toBe(202);
    const { id } = (await ok.json()) as { id: string };
    expect([await jobs('render-video', 'videoId', id), await audits('video.created', id)]).toEqual([1, 1]);
  });

  it('keeps the old photo and queues nothing when a new photo cannot queue its preparation', async () => {
    const res = await env.request('/api/v1/avatars', { method: 'POST', token: user, ...jsonBody({ name: 'Outage' }) });
    const { id } = (await res.json()) as { id: string };
    const put = (colour: string) => solid(320, 400, 'png', colour).then((png) => env.request(`/api/v1/avatars/${id}/upload-photo`, { method: 'POST', token: user, ...upload('photo', png, 'me.png', 'image/png') }));
    const objects = async () => fs.readdir(path.join(env.dataDir, 'objects', tenantId, 'avatars')).catch(() => []);

    expect((await put('#336699')).status).toBe(200);
    const first = await avatar(id);
    expect(await jobs('prepare-avatar', 'avatarId', id)).toBe(1);
    const stored = await objects();

    await failInserts('pgboss.job', "new.name = 'prepare-avatar'");
    await expectUnavailable(await put('#996633'));
    // The avatar still shows (and will be prepared from) the photo it had, which is still stored; the refused one is not.
    expect(await avatar(id)).toEqual(first);
    expect(await env.container.storage.stat(first.photo_key!)).not.toBeNull();
    expect((await objects()).sort()).toEqual(stored.sort());
    expect(await jobs('prepare-avatar', 'avatarId', id)).toBe(1);
    expect(await audits('avatar.photo_uploaded', id)).toBe(1);
  });

  it('leaves a failed avatar failed, not processing without a job, when "generate" cannot queue its preparation', async () => {
    const res = await env.request('/api/v1/avatars', { method: 'POST', token: user, ...jsonBody({ name: 'Retry me' }) });
    const { id } = (await res.json()) as { id: string };
    const png = await solid(320, 400, 'png');
    expect((await env.request(`/api/v1/avatars/${id}/upload-photo`, { method: 'POST', token: user, ...upload('photo', png, 'me.png', 'image/png') })).status).toBe(200);
    const consent = { statement: 'I am the person in this photo and agree to AI-generated videos of me.', confirmed: true };
    expect((await env.request(`/api/v1/avatars/${id}/consent`, { method: 'POST', token: user, ...jsonBody(consent) })).status).toBe(200);
    // As the preparation job leaves an avatar whose photo it could not use.
    await env.container.avatars.update(tenantId, id, { status: 'failed', error: 'Preparing the photo failed', error_code: 'render_failed' });
    const generate = () => env.request(`/api/v1/avatars/${id}/generate`, { method: 'POST', token: user });

    await failInserts('pgboss.job', "new.name = 'prepare-avatar'");
    await expectUnavailable(await generate());
    expect(await avatar(id)).toMatchObject({ status: 'failed', error_code: 'render_failed' });
    expect([await jobs('prepare-avatar', 'avatarId', id), await audits('avatar.generate', id)]).toEqual([1, 0]);
    await sql`drop trigger mvs_test_outage on pgboss.job`.execute(db());

    expect((await generate()).status).toBe(202);
    expect(await avatar(id)).toMatchObject({ status: 'processing' });
    expect([await jobs('prepare-avatar', 'avatarId', id), await audits('avatar.generate', id)]).toEqual([2, 1]);
  });

  it('records no webhook delivery that no job would send', async () => {
    const reg = await env.request('/api/v1/webhooks', { method: 'POST', token: admin, ...jsonBody({ url: 'http://127.0.0.1:9/hooks', events: ['video.completed'] }) });
    expect(reg.status).toBe(201);
    const endpoint = ((await reg.json()) as { id: string }).id;
    const deliveries = () => db().selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint).execute();
    const pending = async () => {
      const rows = await deliveries();
      return { rows: rows.length, jobs: (await Promise.all(rows.map((r) => jobs('deliver-webhook', 'deliveryId', r.id)))).reduce((a, b) => a + b, 0) };
    };

    await failInserts('pgboss.job', "new.name = 'deliver-webhook'");
    await env.container.webhooks.emit(tenantId, 'video.completed', { video_id: 'v1' }); // never throws: it logs
    expect(await pending()).toEqual({ rows: 0, jobs: 0 });
    await sql`drop trigger mvs_test_outage on pgboss.job`.execute(db());

    await env.container.webhooks.emit(tenantId, 'video.completed', { video_id: 'v2' });
    expect(await pending()).toEqual({ rows: 1, jobs: 1 });
  });
});
