// Task pane entry: the composition root. Renders inside Office.onReady within <FluentProvider>.
import { localeFor } from '@mvs/shared/i18n/i18n';
import { createRoot } from 'react-dom/client';
import { ApiClient } from '@mvs/shared/api/api-client';
import { Session } from '@mvs/shared/api/session';
import { createMailbox, microsoftLoginHint, officeReady } from '../office/host.office';
import { createOfficeStore } from '../office/storage.office';
import { App } from './components/App';
import { Providers, type Services } from './services';

async function main() {
  await officeReady();
  const mailbox = createMailbox();
  const session = new Session(createOfficeStore());
  await session.load();
  const services: Services = {
    api: new ApiClient(window.location.origin, session),
    mailbox,
    microsoftLoginHint,
    portalUrl: new URL('/portal/', window.location.origin).toString(),
  };
  createRoot(document.getElementById('root')!).render(
    <Providers services={services} initialLocale={localeFor(mailbox.displayLanguage())}>
      <App />
    </Providers>,
  );
}

main().catch((e: unknown) => {
  // Nothing rendered yet: show the reason in plain text rather than a blank pane.
  document.getElementById('root')!.textContent = `Video reply could not start: ${e instanceof Error ? e.message : String(e)}`;
});
