import { describe, expect, it } from 'vitest';
import { createTestEnv } from '../../test/harness';
import { UnavailableRenderer } from './renderers';

describe('renderer wiring', () => {
  it('offers heygen and remote only when their settings are present', async () => {
    const bare = await createTestEnv('pglite', { seed: false });
    const configured = await createTestEnv('pglite', {
      seed: false,
      env: { HEYGEN_API_KEY: 'test-key', REMOTE_RENDERER_URL: 'http://127.0.0.1:9/', REMOTE_RENDERER_TOKEN: 't' },
    });
    try {
      expect(bare.container.renderers.heygen).toBeInstanceOf(UnavailableRenderer);
      expect(bare.container.renderers.remote).toBeInstanceOf(UnavailableRenderer);
      expect(configured.container.renderers.heygen).not.toBeInstanceOf(UnavailableRenderer);
      expect(configured.container.renderers.remote).not.toBeInstanceOf(UnavailableRenderer);
      expect(configured.container.renderers.photo).not.toBeInstanceOf(UnavailableRenderer);
    } finally {
      await bare.close();
      await configured.close();
    }
  });
});
