import { randomUUID } from 'node:crypto';
import { DOMAIN_RE, passwordProblems, type TokenResponse } from '@mvs/shared/schemas/auth';
import type { AuditRepository } from '../audit/audit.repository';
import { AppError } from '../errors';
import type { Principal } from '../http/env';
import type { UsersRepository, UserRow } from '../users/users.repository';
import type { AuthRepository } from './auth.repository';
import type { PasswordHasher } from './password';
import type { RevocationList } from './revocations';
import type { SessionRow, SessionsRepository } from './sessions.repository';
import type { FailureOutcome, LoginThrottle, ThrottleKey } from './throttle';
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

/** Who is asking, as far as a request tells: the salted hash of the client IP and the user agent. */
export interface RequestMeta {
  ipHash: string | null;
  userAgent: string | null;
}
const NO_META: RequestMeta = { ipHash: null, userAgent: null };

/** Why a session ended (sessions.revoked_reason). */
export type RevokeReason = 'logout' | 'signed_out_everywhere' | 'deactivated' | 'role_changed' | 'password_changed' | 'refresh_reuse';

/** What AuthService uses besides its repositories. */
export interface AuthDeps {
  repo: AuthRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  revocations: RevocationList;
  throttle: LoginThrottle;
  audit: AuditRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  refreshTtlDays: number;
}

/**
 * Registration, login, refresh-token rotation with reuse detection, logout and session revocation.
 * Every sign-in is a session (its id is the refresh-token family id and the access tokens' `sid`);
 * password-bearing routes go through the login throttle before any bcrypt work.
 */
export class AuthService {
  private dummyHash: Promise<string> | undefined;
  constructor(private readonly d: AuthDeps) {}

  /** A hash at the configured cost, compared against when the email is unknown (same time as a real account). */
  private dummy(): Promise<string> {
    return (this.dummyHash ??= this.d.hasher.hash('not-a-real-password-0'));
  }

  async register(input: { tenant_name: string; domain: string; email: string; password: string; full_name?: string }, meta: RequestMeta = NO_META) {
    const regKey = this.d.throttle.ip(meta.ipHash, 'reg');
    await this.d.throttle.check([regKey]);
    const domain = input.domain.toLowerCase();
    if (!DOMAIN_RE.test(domain)) {
      throw new AppError(422, 'invalid_domain', `Domain "${input.domain}" is not a valid domain name like example.com`);
    }
    assertPasswordPolicy(input.password);
    if (await this.d.repo.findUserByEmail(input.email)) {
      throw new AppError(409, 'email_taken', `An account with ${input.email} already exists; sign in instead`);
    }
    if (await this.d.repo.findTenantByDomain(domain)) {
      throw new AppError(409, 'conflict', `A workspace for ${domain} already exists; ask its admin for an invite`);
    }
    // Every registration that gets this far counts: each costs a bcrypt hash and creates a workspace.
    await this.d.throttle.fail([regKey]);
    const hash = await this.d.hasher.hash(input.password);
    const { tenant, user } = await this.d.repo.transaction(async (trx) => {
      const tenant = await this.d.repo.insertTenant({ name: input.tenant_name, domain }, trx);
      const user = await this.d.users.insert(
        { tenant_id: tenant.id, email: input.email, password_hash: hash, full_name: input.full_name ?? null, role: 'admin' },
        trx,
      );
      return { tenant, user };
    });
    await this.d.audit.record({ tenantId: tenant.id, userId: user.id, action: 'tenant.registered', ipHash: meta.ipHash });
    return { tenant, user, tokens: await this.issue(user, { method: 'register', meta }) };
  }

  async login(email: string, password: string, meta: RequestMeta = NO_META): Promise<TokenResponse> {
    const keys = [this.d.throttle.account(email), this.d.throttle.ip(meta.ipHash)];
    await this.d.throttle.check(keys);
    const user = await this.d.repo.findUserByEmail(email.toLowerCase());
    // Compare against a dummy hash when the user is unknown so timing does not reveal which emails exist.
    const ok = await this.d.hasher.verify(password, user?.password_hash ?? (await this.dummy()));
    if (!user || !user.password_hash || !ok) {
      const outcomes = await this.d.throttle.fail(keys);
      if (user) await this.recordFailure(user, 'wrong_password', outcomes, keys[0]!, meta);
      throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
    }
    if (!user.is_active) {
      await this.d.audit.record({ tenantId: user.tenant_id, userId: user.id, action: 'auth.login_failed', details: { reason: 'inactive' }, ipHash: meta.ipHash });
      throw new AppError(403, 'user_inactive', 'This account is deactivated; ask your admin');
    }
    await this.d.throttle.clear(keys[0]!);
    await this.d.repo.touchLogin(user.id);
    await this.d.audit.record({ tenantId: user.tenant_id, userId: user.id, action: 'auth.login', details: { method: 'password' }, ipHash: meta.ipHash });
    return this.issue(user, { method: 'password', meta });
  }

  private async recordFailure(user: UserRow, reason: string, outcomes: FailureOutcome[], account: ThrottleKey, meta: RequestMeta) {
    await this.d.audit.record({ tenantId: user.tenant_id, userId: user.id, action: 'auth.login_failed', details: { reason }, ipHash: meta.ipHash });
    const locked = outcomes.find((o) => o.key === account.key && o.lockedUntil);
    if (locked) {
      await this.d.audit.record({
        tenantId: user.tenant_id,
        userId: user.id,
        action: 'auth.locked',
        targetType: 'user',
        targetId: user.id,
        details: { failures: locked.failures, locked_until: locked.lockedUntil!.toISOString() },
        ipHash: meta.ipHash,
      });
    }
  }

  /**
   * Issues tokens for an authenticated user. Without `sessionId` this is a new sign-in: a session is created
   * (Entra sign-in comes here too); with it, a refresh inside that session.
   */
  async issue(user: UserRow, o: { sessionId?: string; method?: SessionRow['method']; meta?: RequestMeta } = {}): Promise<TokenResponse> {
    const sessionId = o.sessionId ?? randomUUID();
    if (!o.sessionId) {
      await this.d.sessions.insert({
        id: sessionId,
        tenant_id: user.tenant_id,
        user_id: user.id,
        method: o.method ?? 'password',
        ip_hash: o.meta?.ipHash ?? null,
        user_agent: o.meta?.userAgent?.slice(0, 300) ?? null,
      });
    }
    const access = await this.d.tokens.signAccess({ userId: user.id, tenantId: user.tenant_id, role: user.role, sessionId });
    const refresh = this.d.tokens.newRefreshToken();
    await this.d.repo.insertRefreshToken({
      tenant_id: user.tenant_id,
      user_id: user.id,
      family_id: sessionId,
      token_hash: refresh.hash,
      expires_at: new Date(Date.now() + this.d.refreshTtlDays * 86_400_000),
    });
    return { access_token: access, token_type: 'bearer', refresh_token: refresh.token, expires_in: this.d.tokens.accessTtlSec };
  }

  async refresh(token: string, meta: RequestMeta = NO_META): Promise<TokenResponse> {
    const ipKey = this.d.throttle.ip(meta.ipHash);
    await this.d.throttle.check([ipKey]);
    try {
      return await this.refreshChecked(token);
    } catch (e) {
      if (e instanceof AppError && e.status === 401) await this.d.throttle.fail([ipKey]);
      throw e;
    }
  }

  private async refreshChecked(token: string): Promise<TokenResponse> {
    const row = await this.d.repo.findRefreshToken(hashToken(token));
    if (!row) throw new AppError(401, 'token_invalid', 'Refresh token is not valid');
    if (row.revoked_at) throw new AppError(401, 'token_invalid', 'Refresh token was revoked; sign in again');
    if (row.used_at || !(await this.d.repo.markUsed(row.id))) {
      // A spent token came back: someone holds a copy. Revoke the whole family and its session.
      await this.revokeSession(row.family_id, 'refresh_reuse');
      await this.d.audit.record({ tenantId: row.tenant_id, userId: row.user_id, action: 'auth.refresh_reuse_detected', targetType: 'session', targetId: row.family_id });
      throw new AppError(401, 'token_reused', 'Refresh token was already used; all sessions from it are signed out');
    }
    if (row.expires_at.getTime() < Date.now()) throw new AppError(401, 'token_expired', 'Refresh token expired; sign in again');
    const session = await this.d.sessions.get(row.family_id);
    if (!session || session.revoked_at) throw new AppError(401, 'session_revoked', 'This session was signed out; sign in again');
    const user = await this.d.repo.findUser(row.user_id);
    if (!user || !user.is_active) throw new AppError(401, 'user_inactive', 'This account is deactivated');
    await this.d.sessions.touchRefreshed(session.id);
    return this.issue(user, { sessionId: session.id });
  }

  /**
   * Signs out: the session named by the refresh token, or by the caller's access token, ends at once (its
   * access tokens are refused from now on, not when they expire).
   */
  async logout(o: { refreshToken?: string; principal?: Principal }, meta: RequestMeta = NO_META): Promise<void> {
    let sessionId: string | undefined;
    let who: { tenantId: string; userId: string } | undefined;
    if (o.refreshToken) {
      const row = await this.d.repo.findRefreshToken(hashToken(o.refreshToken));
      if (row) {
        sessionId = row.family_id;
        who = { tenantId: row.tenant_id, userId: row.user_id };
      }
    }
    if (!sessionId && o.principal?.sessionId) {
      sessionId = o.principal.sessionId;
      who = { tenantId: o.principal.tenantId, userId: o.principal.userId };
    }
    if (!sessionId || !who) return;
    if (await this.revokeSession(sessionId, 'logout')) {
      await this.d.audit.record({ ...who, action: 'auth.logout', targetType: 'session', targetId: sessionId, ipHash: meta.ipHash });
    }
  }

  /** Ends one session: its refresh tokens and its access tokens. True when it was still live. */
  async revokeSession(sessionId: string, reason: RevokeReason): Promise<boolean> {
    await this.d.repo.revokeFamily(sessionId);
    this.d.revocations.add(sessionId);
    return this.d.sessions.revoke(sessionId, reason);
  }

  /** Ends every session of a user (optionally but one); returns how many were live. */
  async revokeUserSessions(tenantId: string, userId: string, reason: RevokeReason, except?: string): Promise<number> {
    const ids = await this.d.sessions.revokeAllForUser(tenantId, userId, reason, except);
    this.d.revocations.add(...ids);
    await this.d.repo.revokeAllForUser(userId, except);
    return ids.length;
  }

  /** Changes the caller's own password (the current one is checked through the throttle); other sessions end. */
  async changePassword(p: Principal, current: string, next: string, meta: RequestMeta = NO_META): Promise<void> {
    const user = await this.d.users.get(p.tenantId, p.userId);
    if (!user) throw new AppError(401, 'unauthorized', 'Sign in again');
    const keys = [this.d.throttle.account(user.email), this.d.throttle.ip(meta.ipHash)];
    await this.d.throttle.check(keys);
    if (!user.password_hash || !(await this.d.hasher.verify(current, user.password_hash))) {
      const outcomes = await this.d.throttle.fail(keys);
      await this.recordFailure(user, 'wrong_current_password', outcomes, keys[0]!, meta);
      throw new AppError(422, 'invalid_credentials', 'current_password: this is not your current password');
    }
    assertPasswordPolicy(next);
    await this.d.users.setPassword(p.tenantId, p.userId, await this.d.hasher.hash(next));
    const ended = await this.revokeUserSessions(p.tenantId, p.userId, 'password_changed', p.sessionId);
    await this.d.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'auth.password_changed', targetType: 'user', targetId: p.userId, details: { other_sessions_ended: ended }, ipHash: meta.ipHash });
  }
}
