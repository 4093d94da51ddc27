import { localeFor, translator } from '@mvs/shared/i18n/i18n';
import { ApiClient } from '@mvs/shared/api/api-client';
import type { Page, Video } from '@mvs/shared/api/api-types';
import { Session } from '@mvs/shared/api/session';
import { videoInsertBlock } from '@mvs/shared/email/video-snippet';
import { officeCall } from './office-async';
import { OfficeMailbox } from './mailbox.office';
import type { KeyValueStore } from '@mvs/shared/api/key-value-store';

/** Runs a ribbon command and always tells Office it finished, also when it failed. */
export async function completeAfter(event: Office.AddinCommands.Event, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch {
    // The command already reported what it could; Office must still be released.
  } finally {
    event.completed();
  }
}

/** Shows a short informational bar on the item (replaced on the next call). */
export async function notify(message: string): Promise<void> {
  const item = Office.context.mailbox.item;
  if (!item) return;
  await officeCall<void>('Showing a notification', (cb) =>
    item.notificationMessages.replaceAsync('mvs-status', { type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage, message: message.slice(0, 150), icon: 'Icon.16', persistent: false }, cb),
  );
}

/** Ribbon "Insert latest video": inserts the newest finished video of the signed-in user at the cursor. */
export async function insertLatestVideo(store: KeyValueStore, apiBase: string): Promise<void> {
  const t = translator(localeFor(Office.context.displayLanguage));
  const session = new Session(store);
  if (!(await session.load())) return notify(t('command.signIn'));
  try {
    const api = new ApiClient(apiBase, session);
    const page = await api.call<Page<Video>>('GET', '/api/v1/videos?status=completed&page_size=1');
    const video = page.items[0];
    if (!video) return notify(t('command.noVideo'));
    await new OfficeMailbox().insertBlock(videoInsertBlock(video));
    await notify(t('command.inserted'));
  } catch (e) {
    await notify(t('error.generic', { message: e instanceof Error ? e.message : String(e) }));
    throw e;
  }
}
