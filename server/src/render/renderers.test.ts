import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { resolveBinaries } from '../media/binaries';
import type { RenderRequest } from './renderer';
import { chooseRenderer, createRenderers } from './renderers';

const ready = { id: 'a1', status: 'ready' as const, prepared: { portrait: {} } };
const processing = { id: 'a2', status: 'processing' as const, prepared: null };

describe('chooseRenderer', () => {
  it.each([
    { avatar: ready, requested: undefined, want: 'photo' },
    { avatar: processing, requested: undefined, want: 'static' },
    { avatar: { ...ready, status: 'failed' as const }, requested: undefined, want: 'static' },
    { avatar: processing, requested: 'static' as const, want: 'static' },
    { avatar: ready, requested: 'static' as const, want: 'static' },
    { avatar: processing, requested: 'heygen' as const, want: 'heygen' },
  ])('picks $want for a $avatar.status avatar when $requested is requested', ({ avatar, requested, want }) => {
    expect(chooseRenderer(avatar, requested)).toBe(want);
  });

  it('refuses the photo renderer for an avatar that is not prepared with 422 avatar_not_ready', () => {
    const err = (() => {
      try {
        chooseRenderer(processing, 'photo');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'avatar_not_ready' });
  });
});

describe('createRenderers', () => {
  it('answers renderer_unavailable for renderers this server lacks, naming what to configure', async () => {
    const r = createRenderers({ binaries: resolveBinaries(), storage: {} as never, speech: () => Promise.reject(new Error('unused')) });
    expect(Object.keys(r).sort()).toEqual(['heygen', 'photo', 'remote', 'static']);
    await expect(r.heygen.render({} as RenderRequest)).rejects.toMatchObject({ code: 'renderer_unavailable', message: /HEYGEN_API_KEY/ });
    expect(r.static.name).toBe('static');
  });
});
