import { PROVIDERS, type ProviderKey, type ProviderName, type PutProviderKeyRequest } from '@mvs/shared/schemas/settings';
import type { AuditRepository } from '../audit/audit.repository';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Principal } from '../http/env';
import { assertPublicUrl, BlockedAddressError, systemResolver, type HostResolver } from '../net/outbound';
import { SecretBox } from '../security/secret-box';
import type { ProviderKeysRepository } from './provider-keys.repository';

/** A provider credential in clear, for the code that calls the provider. */
export interface ProviderCredential {
  apiKey: string;
  baseUrl: string | null;
}

/** How long a resolved credential is reused by this process (another process's change shows within it). */
const CACHE_MS = 30_000;

const contextOf = (tenantId: string, provider: ProviderName) => `provider:${tenantId}:${provider}`;

/** Whether the server itself has a key for each provider (the fallback when a workspace has none). */
const serverConfigured = (c: Config): Record<ProviderName, boolean> => ({
  openai: !!(c.OPENAI_API_KEY || c.OPENAI_BASE_URL),
  elevenlabs: !!c.ELEVENLABS_API_KEY,
  heygen: !!c.HEYGEN_API_KEY,
  sendgrid: !!c.SENDGRID_API_KEY,
});

/**
 * Per-workspace provider keys (issue 10 §8): sealed with SecretBox, shown only as their last 4 characters,
 * admin-only, audited. `resolve()` gives the code that calls a provider the workspace's key, or null so it
 * falls back to the server's own (environment) key.
 */
export class ProviderKeysService {
  private readonly cache = new Map<string, { at: number; value: ProviderCredential | null }>();

  constructor(
    private readonly repo: ProviderKeysRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditRepository,
    private readonly config: Config,
    private readonly resolveHost: HostResolver = systemResolver,
    /** Re-seals the tenant's other secrets (webhook signing secrets) during a rotation. */
    private readonly resealOthers: (tenantId?: string) => Promise<number> = async () => 0,
  ) {}

  async list(p: Principal): Promise<ProviderKey[]> {
    const rows = new Map((await this.repo.list(p.tenantId)).map((r) => [r.provider, r]));
    const server = serverConfigured(this.config);
    return PROVIDERS.map((provider) => {
      const r = rows.get(provider);
      return {
        provider,
        configured: !!r,
        last4: r?.last4 ?? null,
        base_url: r?.base_url ?? null,
        key_id: r ? SecretBox.keyIdOf(r.api_key) : null,
        updated_at: r?.updated_at.toISOString() ?? null,
        updated_by: r?.updated_by ?? null,
        updated_by_email: r?.updated_by_email ?? null,
        server_configured: server[provider],
      };
    });
  }

  async put(p: Principal, provider: ProviderName, input: PutProviderKeyRequest): Promise<ProviderKey> {
    const baseUrl = input.base_url ? await this.checkedBaseUrl(input.base_url) : null;
    const existing = await this.repo.get(p.tenantId, provider);
    const last4 = input.api_key.slice(-4);
    await this.repo.upsert({
      tenant_id: p.tenantId,
      provider,
      api_key: this.box.seal(input.api_key, contextOf(p.tenantId, provider)),
      last4,
      base_url: baseUrl,
      updated_by: p.userId,
    });
    this.forget(p.tenantId);
    await this.audit.record({
      tenantId: p.tenantId,
      userId: p.userId,
      action: 'provider_key.set',
      targetType: 'provider_key',
      targetId: provider,
      details: { provider, last4, base_url: baseUrl, replaced: !!existing },
      ipHash: p.ipHash,
    });
    return (await this.list(p)).find((k) => k.provider === provider)!;
  }

  async remove(p: Principal, provider: ProviderName): Promise<void> {
    const existing = await this.repo.get(p.tenantId, provider);
    if (!existing || !(await this.repo.remove(p.tenantId, provider))) {
      throw new AppError(404, 'not_found', `No ${provider} key is stored for this workspace`);
    }
    this.forget(p.tenantId);
    await this.audit.record({
      tenantId: p.tenantId,
      userId: p.userId,
      action: 'provider_key.deleted',
      targetType: 'provider_key',
      targetId: provider,
      details: { provider, last4: existing.last4 },
      ipHash: p.ipHash,
    });
  }

  /** Re-encrypts this workspace's stored secrets (provider keys and webhook signing secrets) under the current key. */
  async rotate(p: Principal): Promise<{ rotated: number; key_id: string }> {
    const rotated = (await this.resealKeys(p.tenantId)) + (await this.resealOthers(p.tenantId));
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'secrets.rotated', details: { rotated, key_id: this.box.keyId }, ipHash: p.ipHash });
    return { rotated, key_id: this.box.keyId };
  }

  /** Re-seals stored provider keys (one tenant's, or all) under the current key; returns how many changed. */
  async resealKeys(tenantId?: string): Promise<number> {
    let n = 0;
    for (const r of await this.repo.sealed(tenantId)) {
      if (!this.box.needsReseal(r.api_key)) continue;
      if (await this.repo.replaceSealed(r.tenant_id, r.provider, r.api_key, this.box.reseal(r.api_key, contextOf(r.tenant_id, r.provider)))) n++;
    }
    this.cache.clear();
    return n;
  }

  /** The workspace's own credential for a provider, or null (then the caller uses the server's). */
  async resolve(tenantId: string, provider: ProviderName): Promise<ProviderCredential | null> {
    const key = `${tenantId}:${provider}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.repo.get(tenantId, provider);
    const value = row ? { apiKey: this.box.open(row.api_key, contextOf(tenantId, provider)), baseUrl: row.base_url } : null;
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private forget(tenantId: string) {
    for (const p of PROVIDERS) this.cache.delete(`${tenantId}:${p}`);
  }

  /** A base URL the server will call with the key: http(s), no credentials, and (unless allowed) not a private address. */
  private async checkedBaseUrl(url: string): Promise<string> {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AppError(422, 'validation_failed', 'base_url: use an http(s) URL');
    if (u.username || u.password) throw new AppError(422, 'validation_failed', 'base_url: put no credentials in the URL; the key is sent separately');
    if (!this.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS) {
      try {
        await assertPublicUrl(u, this.resolveHost);
      } catch (e) {
        if (e instanceof BlockedAddressError) throw new AppError(422, 'url_not_public', `base_url: ${e.message}`);
        throw e;
      }
    }
    return u.toString().replace(/\/$/, '');
  }
}
