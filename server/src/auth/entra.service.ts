import type { TokenResponse } from '@mvs/shared/schemas/auth';
import { decodeJwt } from 'jose';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { AuthRepository } from './auth.repository';
import type { AuthService } from './auth.service';
import type { EntraRepository } from './entra.repository';
import type { EntraClaims, EntraExpectation, EntraVerifier } from './entra.verifier';

type EntraEnv = Pick<Config, 'ENTRA_CLIENT_ID' | 'ENTRA_TENANT_ID' | 'ENTRA_ISSUER'>;
const MULTI_TENANT = new Set(['common', 'organizations']);
const audiencesFor = (clientId: string) => [clientId, `api://${clientId}`];

/** Which apps may sign users in for a token's Entra tenant: the server-wide app and workspaces' own apps. */
interface Acceptance {
  expect: EntraExpectation;
  /** Workspaces whose users this token may sign in; null = any workspace (server-wide single-tenant app). */
  workspaces: Set<string> | null;
  /** Server-wide multi-tenant app: the email's domain must be the workspace's domain. */
  requireDomainMatch: boolean;
}

/** Microsoft Entra ID sign-in: verify the token, map it to a user (by oid, else by email, then link), issue our tokens. */
export class EntraService {
  constructor(
    private readonly env: EntraEnv,
    private readonly verifier: EntraVerifier,
    private readonly repo: EntraRepository,
    private readonly authRepo: AuthRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditRepository,
  ) {}

  async signIn(token: string): Promise<TokenResponse> {
    const acceptance = await this.accept(unverifiedTid(token));
    const claims = await this.verifier.verify(token, acceptance.expect);
    const user = await this.findUser(claims, acceptance);
    if (!user.is_active) throw new AppError(403, 'user_inactive', 'This account is deactivated; ask your admin');
    await this.authRepo.touchLogin(user.id);
    await this.audit.record({ tenantId: user.tenant_id, userId: user.id, action: 'auth.entra_login', details: { tid: claims.tid } });
    return this.auth.issue(user, { method: 'entra' });
  }

  private async accept(tid: string): Promise<Acceptance> {
    const { ENTRA_CLIENT_ID: clientId, ENTRA_TENANT_ID: envTid } = this.env;
    const globalOk = !!clientId && (!envTid || MULTI_TENANT.has(envTid) || envTid === tid);
    const own = await this.repo.tenantsForEntraTenant(tid);
    if (!globalOk && !own.length) {
      if (!clientId) throw new AppError(503, 'entra_not_configured', 'Microsoft sign-in is not configured on this server (ENTRA_CLIENT_ID) or for your workspace');
      throw new AppError(403, 'entra_tenant_not_allowed', `Microsoft directory ${tid} is not allowed to sign in here; ask your admin to configure it`);
    }
    const audiences = [...(globalOk ? audiencesFor(clientId!) : []), ...own.flatMap((t) => audiencesFor(t.entra.clientId))];
    const issuers = this.env.ENTRA_ISSUER
      ? [this.env.ENTRA_ISSUER.replace(/\{(tenantid|tid)\}/gi, tid)]
      : [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    return {
      expect: { audiences: [...new Set(audiences)], issuers },
      workspaces: globalOk ? null : new Set(own.map((t) => t.id)),
      requireDomainMatch: globalOk && (!envTid || MULTI_TENANT.has(envTid)),
    };
  }

  private async findUser(claims: EntraClaims, a: Acceptance) {
    const allowed = (u: { tenant_id: string; email: string; tenant_domain: string }) =>
      (!a.workspaces || a.workspaces.has(u.tenant_id)) && (!a.requireDomainMatch || u.email.endsWith(`@${u.tenant_domain}`));
    const byOid = await this.repo.findUserByOid(claims.oid);
    if (byOid && allowed(byOid)) return byOid;
    const email = [claims.email, claims.preferred_username, claims.upn].find((e): e is string => typeof e === 'string' && e.includes('@'));
    const byEmail = email ? await this.repo.findUserByEmail(email) : undefined;
    if (!byEmail || !allowed(byEmail)) {
      throw new AppError(403, 'entra_user_not_found', `No account for ${email ?? 'this Microsoft user'} in a workspace that uses Microsoft sign-in; ask your admin to invite you`);
    }
    if (byEmail.entra_oid && byEmail.entra_oid !== claims.oid) {
      throw new AppError(403, 'forbidden', `${byEmail.email} is linked to a different Microsoft account`);
    }
    if (!byEmail.entra_oid && (await this.repo.linkOid(byEmail.tenant_id, byEmail.id, claims.oid))) {
      await this.audit.record({ tenantId: byEmail.tenant_id, userId: byEmail.id, action: 'auth.entra_linked', details: { tid: claims.tid } });
    }
    return byEmail;
  }
}

/** The token's `tid` before verification, only to pick which keys/issuer/audience to verify against. */
function unverifiedTid(token: string): string {
  let tid: unknown;
  try {
    tid = decodeJwt(token).tid;
  } catch {
    throw new AppError(401, 'token_invalid', 'Not a JWT; send the access token from Microsoft sign-in');
  }
  if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) {
    throw new AppError(401, 'token_invalid', 'Microsoft token has no tenant (tid) claim');
  }
  return tid;
}
