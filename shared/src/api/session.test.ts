import { describe, expect, it } from 'vitest';
import { MemoryStore } from './key-value-store';
import { Session } from './session';

describe('Session', () => {
  it('persists tokens so a reopened pane can refresh, and hides an access token about to expire', async () => {
    let now = 1_000_000;
    const store = new MemoryStore();
    const s = new Session(store, () => now);
    await s.save({ access_token: 'A', refresh_token: 'R', expires_in: 1800 });
    expect(s.accessToken()).toBe('A');

    const reopened = new Session(store, () => now);
    expect(await reopened.load()).toBe(true);
    expect(reopened.refreshToken()).toBe('R');
    now += 1800_000 - 10_000;
    expect(reopened.accessToken()).toBeNull();

    await reopened.clear();
    expect(await new Session(store).load()).toBe(false);
  });

  it('drops a corrupted stored session instead of failing', async () => {
    const store = new MemoryStore();
    await store.set('session', '{not json');
    expect(await new Session(store).load()).toBe(false);
    expect(await store.get('session')).toBeNull();
  });
});
