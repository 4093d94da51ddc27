// The page Microsoft's sign-in popup returns to: passes the answer to the portal window and closes (MSAL v5 bridge).
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

broadcastResponseToMainFrame().catch((e: unknown) => {
  document.body.textContent = `Sign-in could not finish: ${e instanceof Error ? e.message : String(e)}`;
});
