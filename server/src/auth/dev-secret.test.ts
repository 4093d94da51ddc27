import fs from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { createTestEnv, DEMO, type TestEnv } from '../../test/harness';
import { PUBLIC_SECRET_KEYS } from '../config';

describe('a development install without SECRET_KEY', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('pglite', { env: { NODE_ENV: 'development' } });
  });
  afterAll(() => env.close());

  it('signs with its own key from DATA_DIR (mode 0600) and refuses admin tokens signed with the key once shipped in the source', async () => {
    const file = path.join(env.dataDir, 'secret-key');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.readFile(file, 'utf8')).trim()).toBe(env.config.SECRET_KEY);

    const real = await env.login(DEMO.admin.email, DEMO.admin.password);
    expect((await env.request('/api/v1/users', { token: real })).status).toBe(200);
    // Forge the same claims (a live session id included) with the published constant.
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    for (const published of PUBLIC_SECRET_KEYS) {
      const forged = await new SignJWT({ tenant_id: claims.tenant_id, role: 'admin', sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub!)
        .setIssuedAt()
        .setExpirationTime('30m')
        .sign(new TextEncoder().encode(published));
      const r = await env.request('/api/v1/users', { token: forged });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { code: string }).code).toBe('token_invalid');
    }
  });
});
