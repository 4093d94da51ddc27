import { describe, expect, it } from 'vitest';
import { preparedKeys, readyRenderers } from './avatars.dto';

const T = '11111111-2222-3333-4444-555555555555';
const consent = { by: T, at: '2026-01-01T00:00:00Z', statement: 'ok' };
const base = { photo_key: `${T}/avatars/a.jpg`, consent, status: 'processing' as const, prepared: null, provider_ids: {} };

describe('readyRenderers', () => {
  it.each([
    ['no photo', { ...base, photo_key: null }, []],
    ['no consent', { ...base, consent: null }, []],
    ['photo and consent, still processing', base, ['static']],
    ['prepared and ready', { ...base, status: 'ready' as const, prepared: { crop: {} } }, ['static', 'photo']],
    ['ready but preparation missing', { ...base, status: 'ready' as const }, ['static']],
    ['failed preparation keeps static', { ...base, status: 'failed' as const, prepared: null }, ['static']],
    ['with a HeyGen talking photo', { ...base, provider_ids: { heygen_talking_photo_id: 'tp_1' } }, ['static', 'heygen']],
  ])('%s', (_name, avatar, want) => expect(readyRenderers(avatar)).toEqual(want));
});

describe('preparedKeys', () => {
  it("collects every string under the tenant's prefix, nested anywhere, once", () => {
    const prepared = {
      portrait: { sprites: [`${T}/prepared/1.jpg`, `${T}/prepared/2.jpg`], base: `${T}/prepared/base.jpg` },
      landscape: { base: `${T}/prepared/base.jpg`, note: 'not a key', other: 'aaaaaaaa-other-tenant/prepared/x.jpg' },
      count: 3,
    };
    expect(preparedKeys(prepared, T).sort()).toEqual([`${T}/prepared/1.jpg`, `${T}/prepared/2.jpg`, `${T}/prepared/base.jpg`]);
    expect(preparedKeys(null, T)).toEqual([]);
  });
});
