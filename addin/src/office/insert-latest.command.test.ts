import { afterEach, describe, expect, it } from 'vitest';
import { createOfficeMock, installOffice } from '../../test/office-mock';
import { completeAfter, insertLatestVideo } from './insert-latest.command';
import { MemoryStore } from '@mvs/shared/api/key-value-store';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const person = { email: 'priya@northwind.example', name: 'Priya' };
const event = () => {
  const e = { completedCalls: 0, completed() { e.completedCalls++; } };
  return e as typeof e & Office.AddinCommands.Event;
};

describe('ribbon commands', () => {
  it('calls event.completed() after a command succeeds', async () => {
    const e = event();
    await completeAfter(e, async () => undefined);
    expect(e.completedCalls).toBe(1);
  });

  it('calls event.completed() even when the command fails', async () => {
    const e = event();
    await completeAfter(e, async () => {
      throw new Error('network down');
    });
    expect(e.completedCalls).toBe(1);
  });

  it('"Insert latest video" without a session tells the user, in their language, to sign in and inserts nothing', async () => {
    const { office, record } = createOfficeMock({ mode: 'compose', subject: 's', from: person, to: [person], body: '', displayLanguage: 'vi-VN' });
    restore = installOffice(office);
    const e = event();
    await completeAfter(e, () => insertLatestVideo(new MemoryStore(), 'http://127.0.0.1:9'));
    expect(record.notifications).toEqual(['Hãy mở Trả lời bằng video và đăng nhập trước.']);
    expect(record.inserted).toEqual([]);
    expect(e.completedCalls).toBe(1);
  });
});
