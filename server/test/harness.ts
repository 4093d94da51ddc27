import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { loadConfig, type Config } from '../src/config';
import { createContainer, type Container, type ContainerOptions } from '../src/container';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import { seedDemo, DEMO } from '../src/seed';

export { DEMO };
export type Backend = 'pglite' | 'postgres';

/** The backends to run database tests on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** describe() once per backend, so the same tests prove both. */
export function describeEachBackend(name: string, fn: (backend: Backend) => void): void {
  for (const b of BACKENDS) describe(`${name} [${b}]`, () => fn(b));
}

/** Creates a fresh, empty PostgreSQL database next to TEST_DATABASE_URL; returns its URL and a dropper. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `mvs_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestEnv {
  config: Config;
  container: Container;
  app: ReturnType<typeof createApp>;
  dataDir: string;
  /** Fetch against the app in-process: path relative to the root. */
  request(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Logs in with the OAuth2 form and returns the access token. */
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Test config: fast bcrypt, silent logs, a temp DATA_DIR. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    BCRYPT_COST: '4',
    PUBLIC_URL: 'http://localhost:3000',
    // Test receivers listen on loopback; outbound.test.ts and webhooks.test.ts prove the guard with it off.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...env,
  });
}

/** A whole app on a fresh database of the given backend, with the demo data seeded. */
export async function createTestEnv(
  backend: Backend,
  opts: { env?: Record<string, string>; seed?: boolean; startQueue?: boolean; container?: ContainerOptions } = {},
): Promise<TestEnv> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-test-'));
  const config = testConfig(dataDir, opts.env);
  const pgdb = backend === 'postgres' ? await freshPostgres() : undefined;
  const container = await createContainer(config, createLogger(config.LOG_LEVEL), {
    ...(pgdb ? { databaseUrl: pgdb.url } : { pgliteDir: 'memory://' }),
    ...opts.container,
  });
  if (opts.seed !== false) await seedDemo(container);
  if (opts.startQueue) await container.queue.start();
  const app = createApp(container);
  const request = async (pathname: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return app.request(pathname, { ...init, headers });
  };
  return {
    config,
    container,
    app,
    dataDir,
    request,
    async login(email, password) {
      const res = await request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: email, password }).toString(),
      });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await container.close();
      await pgdb?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON helper for requests. */
export const jsonBody = (body: unknown): RequestInit => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
