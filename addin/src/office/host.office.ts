import { OfficeMailbox } from './mailbox.office';
import type { Mailbox } from './mailbox';

export interface HostInfo {
  host: string | null;
  platform: string | null;
}

/** Resolves once Office.js has initialised (outside Office: host null). */
export async function officeReady(): Promise<HostInfo> {
  const info = await Office.onReady();
  return { host: info.host ? String(info.host) : null, platform: info.platform ? String(info.platform) : null };
}

/** The Mailbox port for the current Outlook host. */
export function createMailbox(): Mailbox {
  return new OfficeMailbox();
}

/** True when the host can broker Microsoft sign-in for the add-in (nested app authentication). */
export function supportsNestedAppAuth(): boolean {
  try {
    return Office.context.requirements.isSetSupported('NestedAppAuth', '1.1');
  } catch {
    return false;
  }
}

/** Login hint for Microsoft sign-in: the Office auth context when available, else the mailbox address. */
export async function microsoftLoginHint(): Promise<string | undefined> {
  try {
    const ctx = await Office.auth.getAuthContext();
    return ctx.userPrincipalName || undefined;
  } catch {
    return Office.context.mailbox?.userProfile?.emailAddress || undefined;
  }
}
