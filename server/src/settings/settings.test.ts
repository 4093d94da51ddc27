import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEnv, describeEachBackend, jsonBody, DEMO, type TestEnv } from '../../test/harness';

const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 4, background: { r: 15, g: 108, b: 189, alpha: 0.5 } } }).png().toBuffer();
const form = (field: string, bytes: Buffer, name: string, type: string) => {
  const f = new FormData();
  f.append(field, new Blob([new Uint8Array(bytes)], { type }), name);
  return f;
};

describeEachBackend('tenant settings', (backend) => {
  let env: TestEnv;
  let admin: string;
  let user: string;
  let viewer: string;
  let otherAdmin: string;

  beforeAll(async () => {
    env = await createTestEnv(backend);
    admin = await env.login(DEMO.admin.email, DEMO.admin.password);
    user = await env.login(DEMO.user.email, DEMO.user.password);
    await env.request('/api/v1/users', { method: 'POST', token: admin, ...jsonBody({ email: 'viewer@demo.com', role: 'viewer', password: 'Vi3wer1234' }) });
    viewer = await env.login('viewer@demo.com', 'Vi3wer1234');
    const reg = await env.request('/api/v1/auth/register', {
      method: 'POST',
      ...jsonBody({ tenant_name: 'Other Co', domain: 'other.example', email: 'boss@other.example', password: 'Str0ngPass' }),
    });
    otherAdmin = ((await reg.json()) as { tokens: { access_token: string } }).tokens.access_token;
  });
  afterAll(() => env.close());

  const get = async (token: string) => {
    const res = await env.request('/api/v1/settings', { token });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      workspace: { name: string };
      branding: { primary_color: string | null; logo_url: string | null };
      tracking: { privacy_mode: boolean; watch_link_days: number | null };
      notifications: { email_on_first_view_default: boolean };
    };
  };
  const patch = (token: string, body: unknown) => env.request('/api/v1/settings', { method: 'PATCH', token, ...jsonBody(body) });

  it('shows defaults to every role and needs a token', async () => {
    for (const t of [admin, user, viewer]) {
      expect(await get(t)).toMatchObject({
        workspace: { name: 'Demo Tenant' },
        branding: { primary_color: null, logo_url: null },
        tracking: { privacy_mode: false, watch_link_days: null },
        notifications: { email_on_first_view_default: false },
      });
    }
    expect((await env.request('/api/v1/settings')).status).toBe(401);
  });

  it('lets an admin change only the fields sent, audits it, and keeps other features’ settings keys', async () => {
    await env.container.db.updateTable('tenants').set({ settings: JSON.stringify({ entra: { tenantId: 'x' } }) }).where('domain', '=', 'demo.com').execute();
    const res = await patch(admin, { branding: { primary_color: '#0f6cbd' }, tracking: { watch_link_days: 30 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ branding: { primary_color: '#0F6CBD' }, tracking: { privacy_mode: false, watch_link_days: 30 } });
    expect(await patch(admin, { tracking: { privacy_mode: true }, workspace: { name: 'Demo Realty' } }).then((r) => r.json())).toMatchObject({
      workspace: { name: 'Demo Realty' },
      branding: { primary_color: '#0F6CBD' },
      tracking: { privacy_mode: true, watch_link_days: 30 },
    });
    const row = await env.container.db.selectFrom('tenants').select('settings').where('domain', '=', 'demo.com').executeTakeFirstOrThrow();
    // The watch page reads tracking_opens and watch_link_days; the poster and watch page read branding.
    expect(row.settings).toMatchObject({ entra: { tenantId: 'x' }, tracking_opens: false, privacy_mode: true, watch_link_days: 30, branding: { primary_color: '#0F6CBD', logo_key: null } });
    const audit = await env.container.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'settings.updated').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ changes: { branding: { primary_color: '#0F6CBD' } } });
    expect(await patch(admin, { tracking: { watch_link_days: null, privacy_mode: false } }).then((r) => r.json())).toMatchObject({ tracking: { privacy_mode: false, watch_link_days: null } });
  });

  it('refuses bad values with 422 saying what to fix, and unknown fields', async () => {
    const bad = await patch(admin, { branding: { primary_color: 'blue' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toMatch(/#0F6CBD/);
    expect((await patch(admin, { tracking: { watch_link_days: 0 } })).status).toBe(422);
    expect((await patch(admin, { secret: 1 })).status).toBe(422);
  });

  it('refuses changes from users and viewers with 403 and changes nothing', async () => {
    for (const t of [user, viewer]) {
      expect((await patch(t, { branding: { primary_color: '#FF0000' } })).status).toBe(403);
      const up = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: t, body: form('logo', await png(64, 64), 'logo.png', 'image/png') });
      expect(up.status).toBe(403);
    }
    expect((await get(admin)).branding.primary_color).toBe('#0F6CBD');
  });

  it('stores a logo checked by content, scaled to 512 px, served by its signed URL; replacing deletes the old one', async () => {
    const res = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: admin, body: form('logo', await png(1200, 600), 'logo.png', 'image/png') });
    expect(res.status).toBe(200);
    const first = ((await res.json()) as { branding: { logo_url: string } }).branding.logo_url;
    const key1 = (await env.container.db.selectFrom('tenants').select('settings').where('domain', '=', 'demo.com').executeTakeFirstOrThrow()).settings as { branding: { logo_key: string } };
    const file = await env.request(new URL(first).pathname + new URL(first).search);
    expect(file.status).toBe(200);
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 512, 256, true]);

    const jpeg = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    const again = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: admin, body: form('logo', jpeg, 'logo.jpg', 'image/jpeg') });
    expect(again.status).toBe(200);
    expect(await env.container.storage.stat(key1.branding.logo_key)).toBeNull();
    expect((await env.container.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.logo_uploaded').execute()).length).toBe(2);

    const removed = await env.request('/api/v1/settings/branding/logo', { method: 'DELETE', token: admin });
    expect(((await removed.json()) as { branding: { logo_url: null } }).branding.logo_url).toBeNull();
  });

  it('refuses a logo that is not a PNG or JPEG by content (415), a missing file (422) and an oversized one (413)', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
    const asPng = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: admin, body: form('logo', gif, 'logo.png', 'image/png') });
    expect(asPng.status).toBe(415);
    const none = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: admin, body: form('other', gif, 'x.png', 'image/png') });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { code: string }).code).toBe('missing_file');
    const big = await env.request('/api/v1/settings/branding/logo', { method: 'POST', token: admin, body: form('logo', Buffer.alloc(3 * 1024 * 1024, 1), 'big.png', 'image/png') });
    expect(big.status).toBe(413);
  });

  it('keeps workspaces apart: another admin sees and changes only their own settings', async () => {
    expect((await get(otherAdmin)).branding.primary_color).toBeNull();
    await patch(otherAdmin, { branding: { primary_color: '#112233' } });
    expect((await get(admin)).branding.primary_color).toBe('#0F6CBD');
  });

  it('uses the workspace default for first-view emails until a user chooses', async () => {
    const prefs = async () => ((await (await env.request('/api/v1/notifications/settings', { token: user })).json()) as { email_on_first_view: boolean }).email_on_first_view;
    expect(await prefs()).toBe(false);
    await patch(admin, { notifications: { email_on_first_view_default: true } });
    expect(await prefs()).toBe(true);
    await env.request('/api/v1/notifications/settings', { method: 'PUT', token: user, ...jsonBody({ email_on_first_view: false }) });
    expect(await prefs()).toBe(false);
  });
});
