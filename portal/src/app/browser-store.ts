import type { KeyValueStore } from '@mvs/shared/api/key-value-store';

/** localStorage as the session store: a reload or a new tab keeps the user signed in (refresh token), scoped to this origin. */
export class BrowserStore implements KeyValueStore {
  constructor(
    private readonly storage: Storage,
    private readonly prefix = 'mvs.portal.',
  ) {}
  async get(key: string) {
    return this.storage.getItem(this.prefix + key);
  }
  async set(key: string, value: string) {
    this.storage.setItem(this.prefix + key, value);
  }
  async remove(key: string) {
    this.storage.removeItem(this.prefix + key);
  }
}
