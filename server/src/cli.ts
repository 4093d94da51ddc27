/* Entry script: `serve` (API + worker), `api`, `worker`, `migrate [up|down]`, `seed`, `render`, `rotate-keys`. */
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { migrateDown, migrateToLatest } from './db/migrator';
import { runForever } from './main';

const [cmd = 'serve', ...args] = process.argv.slice(2);

async function migrate(direction: string) {
  const config = loadConfig();
  const path = await import('node:path');
  const database = await openDatabase(
    config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: path.join(config.DATA_DIR, 'pglite') },
  );
  const result = direction === 'down' ? await migrateDown(database.db) : await migrateToLatest(database.db);
  for (const r of result.results ?? []) console.log(`${r.direction} ${r.migrationName}: ${r.status}`);
  if (!result.results?.length) console.log('nothing to migrate');
  await database.close();
}

async function main() {
  switch (cmd) {
    case 'serve':
      return runForever({ api: true, worker: true });
    case 'api':
      return runForever({ api: true, worker: false });
    case 'worker':
      return runForever({ api: false, worker: true });
    case 'migrate':
      return migrate(args[0] ?? 'up');
    case 'seed': {
      const { createContainer } = await import('./container');
      const { createLogger } = await import('./logger');
      const { seedDemo } = await import('./seed');
      const config = loadConfig();
      const c = await createContainer(config, createLogger(config.LOG_LEVEL));
      console.log(await seedDemo(c));
      return c.close();
    }
    case 'rotate-keys': {
      const { createContainer } = await import('./container');
      const { createLogger } = await import('./logger');
      const { rotateStoredSecrets } = await import('./security/rotate-keys');
      const config = loadConfig();
      const c = await createContainer(config, createLogger(config.LOG_LEVEL));
      try {
        const r = await rotateStoredSecrets(c);
        console.log(`re-encrypted ${r.webhooks} webhook signing secret(s) and ${r.providerKeys} provider key(s) under key ${r.keyId}`);
        console.log('every stored secret now uses this key; ENCRYPTION_KEYS_OLD may be emptied');
      } finally {
        await c.close();
      }
      return;
    }
    case 'render': {
      const { renderCli } = await import('./render/render.cli');
      return renderCli(args);
    }
    default:
      console.error(`Unknown command "${cmd}". Use: serve | api | worker | migrate [up|down] | seed | render | rotate-keys`);
      process.exit(2);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
