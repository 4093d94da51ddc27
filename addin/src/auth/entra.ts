import { createNestablePublicClientApplication } from '@azure/msal-browser';
import type { AuthConfig } from '@mvs/shared/api/api-types';

type EntraConfig = NonNullable<AuthConfig['entra']>;

/**
 * Gets an access token for our API from Microsoft Entra through nested app authentication (Outlook
 * brokers the sign-in); silent first, then a popup when Entra needs the user.
 */
export async function microsoftAccessToken(config: EntraConfig, loginHint?: string): Promise<string> {
  const pca = await createNestablePublicClientApplication({
    auth: { clientId: config.client_id, authority: config.authority },
    cache: { cacheLocation: 'localStorage' },
  });
  const request = { scopes: config.scopes, ...(loginHint ? { loginHint } : {}) };
  try {
    return (await pca.ssoSilent(request)).accessToken;
  } catch {
    // No cached consent or account yet: let Entra ask the user.
    return (await pca.acquireTokenPopup(request)).accessToken;
  }
}
