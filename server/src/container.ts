import path from 'node:path';
import type { Kysely } from 'kysely';
import { AuditRepository } from './audit/audit.repository';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrator';
import type { DB } from './db/types';
import { JobQueue } from './jobs/queue';
import type { Logger } from './logger';
import { LocalStorage } from './storage/storage.local';
import type { Storage } from './storage/storage';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/** Everything the app and worker use, built once (composition root). */
export interface Container {
  config: Config;
  logger: Logger;
  database: Database;
  db: Kysely<DB>;
  storage: Storage;
  queue: JobQueue;
  tokens: TokenService;
  authRepo: AuthRepository;
  auth: AuthService;
  users: UsersRepository;
  usersService: UsersService;
  audit: AuditRepository;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Override the database location (tests pass 'memory://' or a PostgreSQL URL). */
  databaseUrl?: string;
  pgliteDir?: string;
  storage?: Storage;
}

export function createStorage(config: Config): Storage {
  return new LocalStorage(path.join(config.DATA_DIR, 'objects'), config.PUBLIC_URL, config.SECRET_KEY);
}

/** Opens the database, migrates it and wires adapters and services. Does not start the queue. */
export async function createContainer(config: Config, logger: Logger, opts: ContainerOptions = {}): Promise<Container> {
  const url = opts.databaseUrl ?? config.DATABASE_URL;
  const database = await openDatabase(
    url ? { url } : { dataDir: opts.pgliteDir ?? path.join(config.DATA_DIR, 'pglite') },
  );
  const db = database.db;
  await migrateToLatest(db);

  const storage = opts.storage ?? createStorage(config);
  const queue = new JobQueue(database, logger.child({ module: 'queue' }));
  const tokens = new TokenService(config.SECRET_KEY, config.ACCESS_TOKEN_MINUTES * 60);
  const hasher = new PasswordHasher(config.BCRYPT_COST);
  const audit = new AuditRepository(db);
  const authRepo = new AuthRepository(db);
  const users = new UsersRepository(db);
  const auth = new AuthService(authRepo, users, audit, hasher, tokens, config.REFRESH_TOKEN_DAYS);
  const usersService = new UsersService(users, authRepo, hasher, audit);

  return {
    config,
    logger,
    database,
    db,
    storage,
    queue,
    tokens,
    authRepo,
    auth,
    users,
    usersService,
    audit,
    async close() {
      await queue.stop({ graceful: false, timeout: 5000 }).catch(() => {});
      await database.close();
    },
  };
}
