import { randomUUID } from 'node:crypto';
import { DOMAIN_RE, passwordProblems, type TokenResponse } from '@mvs/shared/schemas/auth';
import type { AuditRepository } from '../audit/audit.repository';
import { AppError } from '../errors';
import type { UsersRepository, UserRow } from '../users/users.repository';
import type { AuthRepository } from './auth.repository';
import type { PasswordHasher } from './password';
import { hashToken, type TokenService } from './tokens';

/** Throws 422 weak_password naming every rule the password breaks. */
export function assertPasswordPolicy(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length) {
    throw new AppError(422, 'weak_password', `Password needs ${problems.map((p) => p.message).join(', ')}`, {
      rules: problems.map((p) => p.id),
    });
  }
}

/** Registration, login, refresh-token rotation with reuse detection, logout. */
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly refreshTtlDays: number,
  ) {}

  async register(input: { tenant_name: string; domain: string; email: string; password: string; full_name?: string }) {
    const domain = input.domain.toLowerCase();
    if (!DOMAIN_RE.test(domain)) {
      throw new AppError(422, 'invalid_domain', `Domain "${input.domain}" is not a valid domain name like example.com`);
    }
    assertPasswordPolicy(input.password);
    if (await this.repo.findUserByEmail(input.email)) {
      throw new AppError(409, 'email_taken', `An account with ${input.email} already exists; sign in instead`);
    }
    if (await this.repo.findTenantByDomain(domain)) {
      throw new AppError(409, 'conflict', `A workspace for ${domain} already exists; ask its admin for an invite`);
    }
    const hash = await this.hasher.hash(input.password);
    const { tenant, user } = await this.repo.transaction(async (trx) => {
      const tenant = await this.repo.insertTenant({ name: input.tenant_name, domain }, trx);
      const user = await this.users.insert(
        { tenant_id: tenant.id, email: input.email, password_hash: hash, full_name: input.full_name ?? null, role: 'admin' },
        trx,
      );
      return { tenant, user };
    });
    await this.audit.record({ tenantId: tenant.id, userId: user.id, action: 'tenant.registered' });
    return { tenant, user, tokens: await this.issue(user) };
  }

  async login(email: string, password: string): Promise<TokenResponse> {
    const user = await this.repo.findUserByEmail(email.toLowerCase());
    // Compare against a dummy hash when the user is unknown so timing does not reveal which emails exist.
    const ok = await this.hasher.verify(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !user.password_hash || !ok) throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
    if (!user.is_active) throw new AppError(403, 'user_inactive', 'This account is deactivated; ask your admin');
    await this.repo.touchLogin(user.id);
    return this.issue(user);
  }

  /** Issues tokens for an already-authenticated user (e.g. after Entra sign-in). */
  async issue(user: UserRow, familyId: string = randomUUID()): Promise<TokenResponse> {
    const access = await this.tokens.signAccess({ userId: user.id, tenantId: user.tenant_id, role: user.role });
    const refresh = this.tokens.newRefreshToken();
    await this.repo.insertRefreshToken({
      tenant_id: user.tenant_id,
      user_id: user.id,
      family_id: familyId,
      token_hash: refresh.hash,
      expires_at: new Date(Date.now() + this.refreshTtlDays * 86_400_000),
    });
    return { access_token: access, token_type: 'bearer', refresh_token: refresh.token, expires_in: this.tokens.accessTtlSec };
  }

  async refresh(token: string): Promise<TokenResponse> {
    const row = await this.repo.findRefreshToken(hashToken(token));
    if (!row) throw new AppError(401, 'token_invalid', 'Refresh token is not valid');
    if (row.revoked_at) throw new AppError(401, 'token_invalid', 'Refresh token was revoked; sign in again');
    if (row.used_at || !(await this.repo.markUsed(row.id))) {
      // A spent token came back: someone holds a copy. Revoke the whole family.
      await this.repo.revokeFamily(row.family_id);
      await this.audit.record({ tenantId: row.tenant_id, userId: row.user_id, action: 'auth.refresh_reuse_detected' });
      throw new AppError(401, 'token_reused', 'Refresh token was already used; all sessions from it are signed out');
    }
    if (row.expires_at.getTime() < Date.now()) throw new AppError(401, 'token_expired', 'Refresh token expired; sign in again');
    const user = await this.repo.findUser(row.user_id);
    if (!user || !user.is_active) throw new AppError(401, 'user_inactive', 'This account is deactivated');
    return this.issue(user, row.family_id);
  }

  async logout(token: string): Promise<void> {
    const row = await this.repo.findRefreshToken(hashToken(token));
    if (row) await this.repo.revokeFamily(row.family_id);
  }
}

const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO5vJZ1bWvPwJ1n3Y1G2aQ1e3c7mQ6b1S';
