import type { Role } from '@mvs/shared/schemas/common';
import type { AuditRepository } from '../audit/audit.repository';
import type { AuthRepository } from '../auth/auth.repository';
import { assertPasswordPolicy } from '../auth/auth.service';
import type { PasswordHasher } from '../auth/password';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { UsersRepository } from './users.repository';

/** Team management inside one tenant; callers must be admins (checked by the router). */
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly authRepo: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRepository,
  ) {}

  async list(p: Principal, page: number, pageSize: number) {
    const [items, total] = await Promise.all([this.repo.list(p.tenantId, page, pageSize), this.repo.count(p.tenantId)]);
    return { items, total, page, page_size: pageSize };
  }

  async get(p: Principal, id: string) {
    const u = await this.repo.get(p.tenantId, id);
    if (!u) throw notFound('User', id);
    return u;
  }

  async invite(p: Principal, input: { email: string; full_name?: string; role: Role; password: string }) {
    assertPasswordPolicy(input.password);
    if (await this.authRepo.findUserByEmail(input.email)) {
      throw new AppError(409, 'email_taken', `An account with ${input.email} already exists`);
    }
    const user = await this.repo.insert({
      tenant_id: p.tenantId,
      email: input.email,
      password_hash: await this.hasher.hash(input.password),
      full_name: input.full_name ?? null,
      role: input.role,
    });
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'user.invited', targetType: 'user', targetId: user.id });
    return user;
  }

  async update(p: Principal, id: string, patch: { role?: Role; is_active?: boolean; full_name?: string }) {
    const current = await this.get(p, id);
    const losesAdmin =
      current.role === 'admin' && current.is_active && ((patch.role && patch.role !== 'admin') || patch.is_active === false);
    if (losesAdmin && (await this.repo.countActiveAdmins(p.tenantId)) <= 1) {
      throw new AppError(409, 'conflict', 'This is the last active admin; make someone else admin first');
    }
    const user = await this.repo.update(p.tenantId, id, patch);
    if (!user) throw notFound('User', id);
    if (patch.is_active === false) await this.authRepo.revokeAllForUser(id);
    await this.audit.record({
      tenantId: p.tenantId,
      userId: p.userId,
      action: 'user.updated',
      targetType: 'user',
      targetId: id,
      details: patch,
    });
    return user;
  }
}
