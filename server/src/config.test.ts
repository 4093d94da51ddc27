import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SECRET_KEY, loadConfig } from './config';

describe('config', () => {
  it('starts in development with embedded defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SECRET_KEY).toBe(DEFAULT_SECRET_KEY);
  });

  it('refuses production with a missing or default SECRET_KEY, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: DEFAULT_SECRET_KEY })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }).isProduction).toBe(true);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'abc', PUBLIC_URL: 'not a url' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/PUBLIC_URL/);
    }
  });
});

describe('configuration docs', () => {
  it('documents every environment variable in .env.example and the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const { ENV_KEYS } = await import('./config');
    const root = new URL('../../', import.meta.url);
    const example = await readFile(new URL('.env.example', root), 'utf8');
    const readme = await readFile(new URL('README.md', root), 'utf8');
    const missingExample = ENV_KEYS.filter((k) => !new RegExp(`^${k}=`, 'm').test(example));
    const missingReadme = ENV_KEYS.filter((k) => !readme.includes(`\`${k}\``));
    expect({ missingExample, missingReadme }).toEqual({ missingExample: [], missingReadme: [] });
  });
});
