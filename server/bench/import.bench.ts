/**
 * npm run bench:import — POST /api/v1/contacts/import of a generated CSV (Vietnamese and English names, custom
 * columns, a quoted newline every 100 rows, 1 % bad rows) against the API server as its own process: wall time,
 * rows/s, and the server's resident memory (idle, peak during the import) — the import streams, so the peak
 * must not grow with the file. A second import of the same file measures the all-update path.
 * Knobs: BENCH_ROWS (50000), BENCH_BACKENDS (pglite,postgres), BENCH_REIMPORT (1).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { freshBenchDatabase, startServer } from './bench-server';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const REIMPORT = process.env.BENCH_REIMPORT !== '0';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Smith', 'García', 'Müller'];
const GIVEN = ['Minh', 'Lan', 'Anh', 'Hùng', 'Thảo', 'Anna', 'José', 'Zoë'];
const CITY = ['Hà Nội', 'Đà Nẵng', 'TP. Hồ Chí Minh', 'Huế', 'Berlin', 'Lyon'];

async function writeCsv(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('\uFEFFEmail Address,Tên,Họ,Công ty,Chức vụ,Thành phố,Ghi chú\r\n');
  for (let i = 0; i < ROWS; i++) {
    const email = i % 100 === 7 ? `broken-${i}@` : `contact${i}@bench${i % 50}.example`;
    const note = i % 100 === 3 ? '"line one\nline two"' : `note ${i}`;
    await write(`${email},${GIVEN[i % 8]},${FAMILY[(i >> 3) % 8]},"Company ${i % 997}, Ltd",Manager,${CITY[i % 6]},${note}\r\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return (await fsp.stat(file)).size;
}

/** Resident memory (kB) of a process and its children (tsx runs the server in a child node process). */
async function treeRssKb(root: number): Promise<number> {
  const pids = [root];
  for (const d of await fsp.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d)) continue;
    const stat = await fsp.readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (pids.includes(ppid)) pids.push(Number(d));
  }
  let kb = 0;
  for (const pid of pids) {
    const status = await fsp.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kb;
}

/** A multipart body streamed from disk (the client never holds the file either). */
function multipart(file: string, fields: Record<string, string>) {
  const boundary = `----mvsbench${Date.now()}`;
  async function* parts() {
    for (const [k, v] of Object.entries(fields)) yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    for await (const chunk of fs.createReadStream(file)) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { body: Readable.toWeb(Readable.from(parts())) as ReadableStream, type: `multipart/form-data; boundary=${boundary}` };
}

async function importOnce(url: string, token: string, file: string, pid: number) {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await treeRssKb(pid));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const { body, type } = multipart(file, { list_name: 'Bench list' });
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/contacts/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body, duplex: 'half' } as RequestInit);
  const report = (await res.json()) as { imported: number; updated: number; unchanged: number; refused: unknown[]; total_rows: number };
  const seconds = (performance.now() - t0) / 1000;
  sampling = false;
  await sampler;
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(report).slice(0, 300)}`);
  return { seconds, peakMb: peak / 1024, report };
}

async function benchBackend(name: string, file: string, databaseUrl?: string) {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mvs-bench-import-'));
  const { proc, url } = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'true', BCRYPT_COST: '4', LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  try {
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin%40demo.com&password=admin123' });
    const { access_token: token } = (await login.json()) as { access_token: string };
    await new Promise((r) => setTimeout(r, 1000));
    const idleMb = (await treeRssKb(proc.pid!)) / 1024;
    const first = await importOnce(url, token, file, proc.pid!);
    const second = REIMPORT ? await importOnce(url, token, file, proc.pid!) : undefined;
    const total = (await (await fetch(`${url}/api/v1/contacts?page_size=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { total: number };
    return { name, idleMb, first, second, stored: total.total };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mvs-bench-csv-'));
  const file = path.join(dir, 'contacts.csv');
  const bytes = await writeCsv(file);
  console.log(`CSV: ${ROWS.toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MB (UTF-8 with BOM, Vietnamese headers, 1 % bad emails, quoted newlines)`);
  const results = [];
  try {
    if (BACKENDS.includes('pglite')) results.push(await benchBackend('pglite', file));
    if (BACKENDS.includes('postgres')) {
      const pgdb = await freshBenchDatabase('mvs_bench_import');
      if (!pgdb) console.log('postgres: not reachable, skipped');
      else {
        try {
          results.push(await benchBackend('postgres', file, pgdb.url));
        } finally {
          await pgdb.drop();
        }
      }
    }
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
  console.log('\nbackend   | run      | wall     | rows/s  | imported | updated | unchanged | refused | server RSS idle → peak (Δ)');
  for (const r of results) {
    for (const [label, run] of [['first', r.first], ['re-import', r.second]] as const) {
      if (!run) continue;
      const { report } = run;
      console.log(
        `${r.name.padEnd(9)} | ${label.padEnd(8)} | ${run.seconds.toFixed(2).padStart(6)} s | ${Math.round(report.total_rows / run.seconds).toString().padStart(7)} | ${String(report.imported).padStart(8)} | ${String(report.updated).padStart(7)} | ${String(report.unchanged).padStart(9)} | ${String(report.refused.length).padStart(7)} | ${r.idleMb.toFixed(0)} → ${run.peakMb.toFixed(0)} MB (+${(run.peakMb - r.idleMb).toFixed(0)})`,
      );
    }
    console.log(`${r.name.padEnd(9)} | contacts stored: ${r.stored}`);
  }
  console.log(`\ntarget: ${ROWS.toLocaleString('en')} rows imported without holding the file in memory (the RSS rise is the duplicate check — one entry per address — plus GC slack, not the file)`);
}

await main();
