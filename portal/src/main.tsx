// Portal entry: the composition root. One ApiClient (shared with the Outlook add-in), tokens kept in localStorage.
import { ApiClient } from '@mvs/shared/api/api-client';
import { Session } from '@mvs/shared/api/session';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { BrowserStore } from './app/browser-store';

async function main() {
  const session = new Session(new BrowserStore(window.localStorage));
  await session.load();
  const api = new ApiClient(window.location.origin, session);
  createRoot(document.getElementById('root')!).render(<App api={api} />);
}

main().catch((e: unknown) => {
  document.getElementById('root')!.textContent = `The portal could not start: ${e instanceof Error ? e.message : String(e)}`;
});
