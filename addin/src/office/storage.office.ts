import { MemoryStore, type KeyValueStore } from '@mvs/shared/api/key-value-store';

/** localStorage with keys prefixed by Office's partition key (web partitions storage per host). */
class LocalStore implements KeyValueStore {
  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
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

/** OfficeRuntime.storage where the host has it (shared runtime), else partitioned localStorage, else memory. */
export function createOfficeStore(): KeyValueStore {
  const runtime = (globalThis as { OfficeRuntime?: typeof OfficeRuntime }).OfficeRuntime;
  if (runtime?.storage) {
    return {
      get: (k) => runtime.storage.getItem(k),
      set: (k, v) => runtime.storage.setItem(k, v),
      remove: (k) => runtime.storage.removeItem(k),
    };
  }
  try {
    const partition = (Office.context as { partitionKey?: string } | undefined)?.partitionKey;
    const storage = globalThis.localStorage;
    if (storage) return new LocalStore(storage, `${partition ? `${partition}:` : ''}mvs:`);
  } catch {
    // Storage access can throw in locked-down webviews; fall through to memory.
  }
  return new MemoryStore();
}
