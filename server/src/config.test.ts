import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PUBLIC_SECRET_KEYS } from './config';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvs-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('config', () => {
  it('starts in development with embedded defaults', () => {
    const c = loadConfig({ DATA_DIR: path.join(tmp, 'defaults') });
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses production with a missing, short or published SECRET_KEY, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'short' })).toThrow(ConfigError);
    for (const published of PUBLIC_SECRET_KEYS) {
      expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: published })).toThrow(/published/);
      expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(tmp, 'p'), SECRET_KEY: published })).toThrow(/published/);
    }
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(40) }).isProduction).toBe(true);
  });

  it('gives a development install its own SECRET_KEY in DATA_DIR (mode 0600), the same on every start', () => {
    const a = path.join(tmp, 'install-a');
    const first = loadConfig({ DATA_DIR: a }).SECRET_KEY;
    const file = path.join(a, 'secret-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first);
    expect(loadConfig({ DATA_DIR: a }).SECRET_KEY).toBe(first);
    // Another install gets another key; none of them is a published one.
    const other = loadConfig({ DATA_DIR: path.join(tmp, 'install-b') }).SECRET_KEY;
    expect(other).not.toBe(first);
    expect(PUBLIC_SECRET_KEYS).not.toContain(first);
    // An explicit SECRET_KEY wins and writes nothing.
    const c = path.join(tmp, 'install-c');
    expect(loadConfig({ DATA_DIR: c, SECRET_KEY: 'y'.repeat(40) }).SECRET_KEY).toBe('y'.repeat(40));
    expect(fs.existsSync(path.join(c, 'secret-key'))).toBe(false);
  });

  it('checks ENCRYPTION_KEY and ENCRYPTION_KEYS_OLD at start', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: path.join(tmp, 'enc') };
    expect(() => loadConfig({ ...base, ENCRYPTION_KEY: 'too-short' })).toThrow(/ENCRYPTION_KEY must be 32 bytes/);
    expect(() => loadConfig({ ...base, ENCRYPTION_KEYS_OLD: `${'a'.repeat(64)},nope` })).toThrow(/ENCRYPTION_KEYS_OLD entry 2/);
    expect(loadConfig({ ...base, ENCRYPTION_KEY: 'ab'.repeat(32), ENCRYPTION_KEYS_OLD: `secret:old-secret, ${Buffer.alloc(32, 7).toString('base64')}` }).ENCRYPTION_KEY).toBe('ab'.repeat(32));
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
