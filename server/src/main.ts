import { serve, type ServerType } from '@hono/node-server';
import { loadConfig, ConfigError, type Config } from './config';
import { createContainer, type Container } from './container';
import { createApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { seedDemo } from './seed';
import { seedDemoActivity } from './demo/demo-activity';
import { startWorker, type Worker } from './jobs/worker';

export interface Running {
  container: Container;
  server?: ServerType;
  worker?: Worker;
  url?: string;
  stop(): Promise<void>;
}

/** Starts the API and/or the worker in this process, with graceful shutdown on SIGTERM/SIGINT. */
export async function start(mode: { api: boolean; worker: boolean }, config: Config, logger: Logger): Promise<Running> {
  const container = await createContainer(config, logger);
  // The queue starts first so seed steps can queue work (the demo avatar's preparation).
  await container.queue.start();
  if (config.SEED_DEMO) {
    const ids = await seedDemo(container);
    if (config.SEED_DEMO_ACTIVITY ?? config.NODE_ENV !== 'test') await seedDemoActivity(container, ids);
  }
  const worker = mode.worker ? await startWorker(container) : undefined;
  let server: ServerType | undefined;
  let url: string | undefined;
  if (mode.api) {
    const app = createApp(container);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
        url = `http://localhost:${info.port}`;
        logger.info({ url, docs: `${url}/docs` }, 'API listening');
        resolve();
      });
    });
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new requests or jobs');
      const timeoutMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
      // In parallel: the HTTP server drains, and the worker stops fetching while running jobs get the
      // timeout to finish (then they are aborted and failed back to the queue for another worker).
      await Promise.all([server && closeServer(server, timeoutMs), worker?.stop({ timeoutMs })]);
      await container.queue.stop({ graceful: true, timeout: 2000 });
      await container.database.close();
      logger.info('shutdown complete');
    })());
  return { container, server, worker, url, stop };
}

/** Stops accepting connections; open ones (SSE streams, downloads) get `timeoutMs`, then are cut. */
async function closeServer(server: ServerType, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  const timer = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(timer);
}

export async function runForever(mode: { api: boolean; worker: boolean }): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const running = await start(mode, config, logger);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      running.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
