import type { Role } from '@mvs/shared/schemas/common';
import type { AuditRepository } from '../audit/audit.repository';
import type { AuthRepository } from '../auth/auth.repository';
import { assertPasswordPolicy, type AuthService } from '../auth/auth.service';
import type { PasswordHasher } from '../auth/password';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { LoginThrottle } from '../auth/throttle';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { UserRow, UsersRepository } from './users.repository';

const RANK: Record<Role, number> = { viewer: 0, user: 1, admin: 2 };

/** Team management inside one tenant; callers must be admins (checked by the router). */
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly authRepo: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditRepository,
    private readonly auth: Pick<AuthService, 'revokeUserSessions'>,
    private readonly sessions: SessionsRepository,
    private readonly throttle: LoginThrottle,
  ) {}

  async list(p: Principal, page: number, pageSize: number) {
    const [items, total] = await Promise.all([this.repo.list(p.tenantId, page, pageSize), this.repo.count(p.tenantId)]);
    const locks = await this.throttle.lockedUntilMany(items.map((u) => u.email));
    return { items: items.map((u) => ({ user: u, lockedUntil: locks.get(u.email) ?? null })), total, page, page_size: pageSize };
  }

  async get(p: Principal, id: string): Promise<UserRow> {
    const u = await this.repo.get(p.tenantId, id);
    if (!u) throw notFound('User', id);
    return u;
  }

  /** The user with the end of their sign-in lock, if any. */
  async getWithLock(p: Principal, id: string) {
    const user = await this.get(p, id);
    return { user, lockedUntil: await this.throttle.lockedUntil(user.email) };
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
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'user.invited', targetType: 'user', targetId: user.id, details: { email: user.email, role: user.role }, ipHash: p.ipHash });
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
    const audit = (action: string, details: Record<string, unknown>) =>
      this.audit.record({ tenantId: p.tenantId, userId: p.userId, action, targetType: 'user', targetId: id, details, ipHash: p.ipHash });
    if (patch.is_active === false && current.is_active) {
      // At once: the user's access tokens stop working now, not when they expire.
      const ended = await this.auth.revokeUserSessions(p.tenantId, id, 'deactivated');
      await audit('user.deactivated', { email: user.email, sessions_ended: ended });
    } else if (patch.is_active === true && !current.is_active) {
      await audit('user.reactivated', { email: user.email });
    }
    if (patch.role && patch.role !== current.role) {
      // A demoted user's tokens still carry the old role: end their sessions so the new role applies now.
      const ended = RANK[patch.role] < RANK[current.role] ? await this.auth.revokeUserSessions(p.tenantId, id, 'role_changed') : 0;
      await audit('user.role_changed', { email: user.email, from: current.role, to: patch.role, sessions_ended: ended });
    }
    if (patch.full_name !== undefined && patch.full_name !== current.full_name) await audit('user.updated', { full_name: patch.full_name });
    return user;
  }

  /** Admin "sign out everywhere": every session of the user ends now. */
  async signOutEverywhere(p: Principal, id: string): Promise<number> {
    const user = await this.get(p, id);
    const ended = await this.auth.revokeUserSessions(p.tenantId, id, 'signed_out_everywhere');
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'user.signed_out_everywhere', targetType: 'user', targetId: id, details: { email: user.email, sessions_ended: ended }, ipHash: p.ipHash });
    return ended;
  }

  /** Lifts the sign-in lock of a user's account (a lock on a client address is not lifted). */
  async liftLockout(p: Principal, id: string): Promise<void> {
    const user = await this.get(p, id);
    const lockedUntil = await this.throttle.lockedUntil(user.email);
    await this.throttle.clear(this.throttle.account(user.email));
    await this.audit.record({
      tenantId: p.tenantId,
      userId: p.userId,
      action: 'user.lockout_lifted',
      targetType: 'user',
      targetId: id,
      details: { email: user.email, was_locked_until: lockedUntil?.toISOString() ?? null },
      ipHash: p.ipHash,
    });
  }

  async activeSessions(p: Principal, id: string) {
    await this.get(p, id);
    return this.sessions.listActive(p.tenantId, id);
  }
}
