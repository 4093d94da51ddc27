import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { TokenService } from './tokens';

const principal = { userId: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-000000000002', role: 'user' as const, sessionId: '00000000-0000-4000-8000-000000000003' };
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('TokenService access tokens', () => {
  it('verifies a token again and again (remembered), with exactly the signed claims', async () => {
    const t = new TokenService('x'.repeat(40), 1800);
    const token = await t.signAccess(principal);
    const a = await t.verifyAccess(token);
    const b = await t.verifyAccess(token);
    expect(b).toEqual(a);
    expect(a).toMatchObject({ sub: principal.userId, tenant_id: principal.tenantId, role: 'user' });
    expect(a.exp - a.iat).toBe(1800);
  });

  it('refuses a remembered token once it expires', async () => {
    const t = new TokenService('x'.repeat(40), 1);
    const token = await t.signAccess(principal);
    expect(await codeOf(t.verifyAccess(token))).toBe('ok');
    await new Promise((r) => setTimeout(r, 2100));
    expect(await codeOf(t.verifyAccess(token))).toBe('token_expired');
  });

  it('refuses a tampered copy of a remembered token and a token signed with another secret', async () => {
    const t = new TokenService('x'.repeat(40), 1800);
    const token = await t.signAccess(principal);
    await t.verifyAccess(token);
    const [h, p, s] = token.split('.') as [string, string, string];
    const admin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await codeOf(t.verifyAccess(`${h}.${admin}.${s}`))).toBe('token_invalid');
    const other = await new TokenService('y'.repeat(40), 1800).signAccess(principal);
    expect(await codeOf(t.verifyAccess(other))).toBe('token_invalid');
  });
});
