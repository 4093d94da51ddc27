import type { Container } from './container';

export const DEMO = {
  tenant: { name: 'Demo Tenant', domain: 'demo.com' },
  admin: { email: 'admin@demo.com', password: 'admin123', full_name: 'Demo Admin' },
  user: { email: 'user@demo.com', password: 'user123', full_name: 'Demo User' },
  avatarId: '605f28ea-8094-4356-b8b3-09f7e2229425',
} as const;

/** Extra seeding steps registered by features (e.g. the demo avatar's photo); each must be idempotent. */
export type SeedStep = (c: Container, ids: { tenantId: string; adminId: string; userId: string }) => Promise<void>;
const steps: SeedStep[] = [];
export const addSeedStep = (s: SeedStep) => steps.push(s);

/**
 * Seeds the demo tenant and users idempotently. The demo passwords skip the password policy on purpose
 * (they are documented); nothing else may.
 */
export async function seedDemo(c: Container): Promise<{ tenantId: string; adminId: string; userId: string }> {
  const { db } = c;
  let tenant = await db.selectFrom('tenants').selectAll().where('domain', '=', DEMO.tenant.domain).executeTakeFirst();
  tenant ??= await db.insertInto('tenants').values(DEMO.tenant).returningAll().executeTakeFirstOrThrow();
  const h = c.hasher;
  const ensureUser = async (u: { email: string; password: string; full_name: string }, role: 'admin' | 'user') => {
    const existing = await db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst();
    if (existing) return existing.id;
    const row = await db
      .insertInto('users')
      .values({ tenant_id: tenant.id, email: u.email, password_hash: await h.hash(u.password), full_name: u.full_name, role })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const adminId = await ensureUser(DEMO.admin, 'admin');
  const userId = await ensureUser(DEMO.user, 'user');
  const ids = { tenantId: tenant.id, adminId, userId };
  for (const step of steps) await step(c, ids);
  return ids;
}
