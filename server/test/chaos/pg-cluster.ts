import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl (Debian's layout), or PG_BIN_DIR. */
export function findPgBin(): string | null {
  const candidates = process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : [];
  try {
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // no Debian PostgreSQL packages
  }
  return candidates.find((d) => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(d, b)))) ?? null;
}

/** initdb refuses to run as root (CI runs as root): then the cluster belongs to the `postgres` (else `nobody`) user. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  const entry = passwd.find((p) => p[0] === 'postgres') ?? passwd.find((p) => p[0] === 'nobody');
  if (!entry) throw new Error('running as root and there is neither a postgres nor a nobody user to own the test cluster');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export interface PgCluster {
  url: string;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A private PostgreSQL cluster in a temp folder on a free loopback port, started with the machine's own
 * initdb/pg_ctl: a test can stop and start it (a restart, a crash) without touching anyone else's server.
 */
export async function startPgCluster(bin: string): Promise<PgCluster> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mvs-pg-'));
  const data = path.join(dir, 'data');
  const user = serverUser();
  if (user) await fsp.chown(dir, user.uid, user.gid);
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const port = await freePort();
  const pgctl = (...args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', data, ...args], { ...as, timeout: 60_000 });
  await run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], { ...as, timeout: 120_000 });
  // Durability off: the test restarts the server, it does not test fsync.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = async () => {
    await pgctl('-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start');
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    async stop(mode = 'fast') {
      await pgctl('-m', mode, '-w', '-t', '60', 'stop');
    },
    async destroy() {
      await pgctl('-m', 'immediate', 'stop').catch(() => {});
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
