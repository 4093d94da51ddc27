import { createStandardPublicClientApplication } from '@azure/msal-browser';
import type { AuthConfig } from '@mvs/shared/api/api-types';

type EntraConfig = NonNullable<AuthConfig['entra']>;

/** Where Microsoft sends the popup back: a bridge page that hands the answer to this window (MSAL v5). */
export const REDIRECT_PATH = '/portal/auth-redirect.html';

/**
 * An access token for our API from Microsoft Entra, for a web app: silent when the browser already has an
 * account, else Microsoft's sign-in in a popup that returns through the redirect bridge page.
 */
export async function microsoftAccessToken(config: EntraConfig): Promise<string> {
  const pca = await createStandardPublicClientApplication({
    auth: { clientId: config.client_id, authority: config.authority, redirectUri: new URL(REDIRECT_PATH, window.location.origin).toString() },
    cache: { cacheLocation: 'sessionStorage' },
  });
  const request = { scopes: config.scopes };
  const account = pca.getAllAccounts()[0];
  if (account) {
    try {
      return (await pca.acquireTokenSilent({ ...request, account })).accessToken;
    } catch {
      // Consent or a new sign-in is needed: ask the user.
    }
  }
  return (await pca.loginPopup(request)).accessToken;
}
