/*
 * npm run bench:campaign — a campaign of BENCH_CONTACTS contacts (1,000) with a 25 s template whose personal
 * part is the first sentence, rendered by one worker process (the `photo` renderer), then sent to a local SMTP
 * server. Prints: wall time until every video is rendered (and videos/hour), the worker's peak RSS (node, and
 * node + its ffmpeg/espeak children), storage used, and send throughput — beside the targets.
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created and dropped), else the local
 * server; without one the worker runs in this process on PGlite (RSS then includes the bench).
 * Knobs: BENCH_CONTACTS (1000), BENCH_RENDERER (photo | static), BENCH_RENDER_SLOTS (CAMPAIGN_RENDER_CONCURRENCY's default: one per core, at most 4),
 * BENCH_SEND (true), BENCH_SEND_RATE (messages/min throttle during the send, 600000 = unthrottled),
 * BENCH_SEND_CONCURRENCY (8, MAIL_SEND_CONCURRENCY), BENCH_SEND_MESSAGES (1000: a second send of that many copies of one
 * rendered video, so the send rate is measured at scale however many were rendered; 0 = off), BENCH_WORKER_NODE_ARGS
 * (extra node flags for the worker, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config';
import { createContainer, type Container } from '../src/container';
import { startWorker, type Worker } from '../src/jobs/worker';
import { createLogger } from '../src/logger';
import { DEMO, seedDemo } from '../src/seed';
import { freshBenchDatabase, root } from './bench-server';
import { cpuTree } from './cpu';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1000);
const RENDERER = process.env.BENCH_RENDERER ?? 'photo';
const SLOTS = process.env.BENCH_RENDER_SLOTS ?? String(Math.min(4, Math.max(1, os.availableParallelism())));
const SEND = (process.env.BENCH_SEND ?? 'true') !== 'false';
const SEND_RATE = process.env.BENCH_SEND_RATE ?? '600000';
const SEND_CONCURRENCY = process.env.BENCH_SEND_CONCURRENCY ?? '8';
/** A second send of this many messages (copies of one rendered video), so throughput is measured at scale even when few were rendered. */
const SEND_MESSAGES = Number(process.env.BENCH_SEND_MESSAGES ?? 1000);
const TARGET = { wallSec: 600, perHour: 6000, rssMb: 1024, msgPerSec: 50 };

// ≈ 25 s spoken: the first sentence greets the contact (personal part), the rest is the same for everyone.
const SCRIPT =
  'Hi {{first_name}}, thanks for talking with me at the conference last week. ' +
  'I promised you a short video about how our platform helps sales teams answer every new lead within minutes. ' +
  'Most teams we work with cut their response time in half during the first month, and their reps stop writing the same email again and again. ' +
  'I would love to show you a fifteen minute demo next week, built around your own pipeline and tools. ' +
  'Just reply with a time that suits you, and I will send an invite right away.';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

/** Resident set size of a process and of all its descendants, in bytes (Linux /proc). */
async function rss(pid: number): Promise<{ self: number; tree: number }> {
  const read = async (p: number) => {
    try {
      const status = await fs.readFile(`/proc/${p}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const children = async (p: number): Promise<number[]> => {
    try {
      const kids = (await fs.readFile(`/proc/${p}/task/${p}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean).map(Number);
      return (await Promise.all(kids.map(async (k) => [k, ...(await children(k))]))).flat();
    } catch {
      return [];
    }
  };
  const self = await read(pid);
  const tree = self + (await Promise.all((await children(pid)).map(read))).reduce((a, b) => a + b, 0);
  return { self, tree };
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await du(p) : (await fs.stat(p)).size;
  }
  return total;
}

async function smtpSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.server.address() as { port: number }).port, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-bench-campaign-'));
  const pg = await freshBenchDatabase('mvs_bench_campaign');
  const smtp = await smtpSink();
  const env: Record<string, string> = {
    NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'true', BCRYPT_COST: '4',
    MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Bench <bench@demo.com>',
    MAIL_RATE_SMTP_PER_MINUTE: SEND_RATE, MAIL_SEND_CONCURRENCY: SEND_CONCURRENCY, MAIL_DAILY_CAP: '0',
    CAMPAIGN_RENDER_CONCURRENCY: SLOTS, WORKER_CONCURRENCY: '1',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
  };
  const config = loadConfig({ ...process.env, ...env });
  const c: Container = await createContainer(config, createLogger('warn'));
  await c.queue.start();
  const ids = await seedDemo(c);

  // One worker: a separate `npm run worker` process on PostgreSQL (its RSS alone), else in this process.
  let child: ChildProcess | undefined;
  let inProcess: Worker | undefined;
  if (pg) {
    // node --import tsx (not the tsx wrapper, which would be a second process): the pid is the worker's own.
    child = spawn(process.execPath, [...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', path.join(root, 'server/src/cli.ts'), 'worker'], {
      cwd: root, env: { ...process.env, ...env, SEED_DEMO: 'false' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    inProcess = await startWorker(c);
  }
  const pid = child?.pid ?? process.pid;
  let peak = { self: 0, tree: 0 };
  const sampler = setInterval(() => {
    void rss(pid).then((r) => (peak = { self: Math.max(peak.self, r.self), tree: Math.max(peak.tree, r.tree) }));
  }, 200);

  try {
    // The avatar is prepared once (face, sprites) by the worker before any render.
    for (let i = 0; ; i++) {
      const a = await c.db.selectFrom('avatars').select(['status', 'prepared_at']).where('id', '=', DEMO.avatarId).executeTakeFirstOrThrow();
      if (a.prepared_at) break;
      if (i > 600) throw new Error(`the demo avatar was not prepared (status ${a.status})`);
      await sleep(200);
    }
    const list = (await c.contactsRepo.insertList(ids.tenantId, { name: 'Bench', created_by: null }))!;
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({ email: `lead${i}@bench.example`, first_name: `Lead${i}`, company: `Company ${i}` }));
    for (let i = 0; i < contacts.length; i += 500) await c.contactsRepo.upsertBatch(ids.tenantId, contacts.slice(i, i + 500), list.id);
    const user = { userId: ids.userId, tenantId: ids.tenantId, role: 'user' as const };
    const campaign = await c.campaigns.create(user, {
      name: 'Bench', avatar_id: DEMO.avatarId, list_id: list.id, renderer: RENDERER as 'photo', script: SCRIPT,
      subject: 'A video for you, {{first_name}}', body: 'Hi {{first_name}},\n\n{{video}}\n\nBest regards',
    });
    const load = os.loadavg()[0]!;
    const storageBefore = await du(path.join(dataDir, 'objects'));

    const t0 = performance.now();
    const cpu0 = { worker: await cpuTree(pid), bench: process.cpuUsage() };
    await c.campaigns.render(user, campaign.id);
    let lastPrint = 0;
    for (;;) {
      const counts = (await c.campaignsRepo.counts(ids.tenantId, [campaign.id])).get(campaign.id)!;
      const left = (counts.get('pending') ?? 0) + (counts.get('queued') ?? 0) + (counts.get('rendering') ?? 0);
      const done = (counts.get('rendered') ?? 0) + (counts.get('render_failed') ?? 0);
      if (performance.now() - lastPrint > 10_000) {
        lastPrint = performance.now();
        process.stdout.write(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${done}/${CONTACTS} rendered\n`);
      }
      if (!left) break;
      await sleep(250);
    }
    const wallSec = (performance.now() - t0) / 1000;
    const cpu1 = await cpuTree(pid);
    const benchCpu = child ? (() => { const u = process.cpuUsage(cpu0.bench); return (u.user + u.system) / 1e6; })() : 0;
    const cpu = { node: cpu1.self - cpu0.worker.self, tools: cpu1.tree - cpu1.self - (cpu0.worker.tree - cpu0.worker.self), bench: benchCpu };
    const counts = (await c.campaignsRepo.counts(ids.tenantId, [campaign.id])).get(campaign.id)!;
    const rendered = counts.get('rendered') ?? 0;
    const failed = counts.get('render_failed') ?? 0;
    const storage = (await du(path.join(dataDir, 'objects'))) - storageBefore;
    const durations = await c.db.selectFrom('videos').select(['duration_sec', 'video_bytes', 'poster_bytes', 'gif_bytes']).where('campaign_id', '=', campaign.id).where('status', '=', 'completed').execute();
    const avgSec = durations.reduce((a, v) => a + (v.duration_sec ?? 0), 0) / Math.max(1, durations.length);
    const perHour = (rendered / wallSec) * 3600;
    const renderPeak = peak;

    let send: { seconds: number; perSec: number; sent: number } | undefined;
    if (SEND && rendered) {
      await c.campaigns.approve(user, campaign.id);
      const s0 = performance.now();
      await c.campaigns.send(user, campaign.id);
      for (;;) {
        const row = await c.campaignsRepo.get(ids.tenantId, campaign.id);
        if (row!.status === 'sent') break;
        await sleep(100);
      }
      // From the send request to the campaign being `sent` (claims, throttle, SMTP, bookkeeping all included).
      const seconds = (performance.now() - s0) / 1000;
      send = { seconds, sent: smtp.received(), perSec: smtp.received() / seconds };
    }

    // Throughput at scale: SEND_MESSAGES recipients whose videos are copies of the first rendered one.
    let bulk: { seconds: number; perSec: number; sent: number } | undefined;
    if (SEND && SEND_MESSAGES > 0 && rendered) {
      const src = await c.db.selectFrom('videos').select(['video_key', 'poster_key', 'gif_key', 'duration_sec', 'width', 'height']).where('campaign_id', '=', campaign.id).where('status', '=', 'completed').executeTakeFirstOrThrow();
      const list2 = (await c.contactsRepo.insertList(ids.tenantId, { name: 'Bench send', created_by: null }))!;
      const many = Array.from({ length: SEND_MESSAGES }, (_, i) => ({ email: `send${i}@bench.example`, first_name: `Send${i}` }));
      for (let i = 0; i < many.length; i += 500) await c.contactsRepo.upsertBatch(ids.tenantId, many.slice(i, i + 500), list2.id);
      const c2 = await c.campaigns.create(user, { name: 'Bench send', avatar_id: DEMO.avatarId, list_id: list2.id, renderer: 'static', script: 'Hi {{first_name}}.', subject: 'Hi {{first_name}}' });
      await c.campaignsRepo.transition(ids.tenantId, c2.id, ['draft'], { status: 'rendering' });
      await c.campaignRendering.fanout(ids.tenantId, c2.id, new AbortController().signal);
      await c.db.updateTable('videos').set({ status: 'completed', progress: 100, ...src, completed_at: new Date(), updated_at: new Date() }).where('campaign_id', '=', c2.id).execute();
      await c.db.updateTable('campaign_recipients').set({ state: 'approved', approved_at: new Date() }).where('campaign_id', '=', c2.id).where('state', 'in', ['queued', 'rendering']).execute();
      await c.campaignsRepo.transition(ids.tenantId, c2.id, ['rendering'], { status: 'review', rendered_at: new Date() });
      const before = smtp.received();
      const s0 = performance.now();
      await c.campaigns.send(user, c2.id);
      while ((await c.campaignsRepo.get(ids.tenantId, c2.id))!.status !== 'sent') await sleep(100);
      const seconds = (performance.now() - s0) / 1000;
      bulk = { seconds, sent: smtp.received() - before, perSec: (smtp.received() - before) / seconds };
    }

    const renderOk = wallSec <= TARGET.wallSec * (CONTACTS / 1000);
    process.stdout.write(
      [
        '',
        `campaign benchmark — ${CONTACTS} contacts, ${RENDERER} renderer, ${SLOTS} campaign render slot(s), one worker ${pg ? 'process (PostgreSQL)' : 'in this process (PGlite)'}`,
        `machine: ${os.cpus().length} cores, load average ${load.toFixed(1)} when rendering started (other work on the machine slows every figure)`,
        `videos: ${rendered} rendered, ${failed} failed, ${avgSec.toFixed(1)} s each on average`,
        `  wall time until all rendered   ${wallSec.toFixed(1)} s  (${(wallSec / 60).toFixed(1)} min)   target ≤ ${((TARGET.wallSec * CONTACTS) / 1000 / 60).toFixed(1)} min for ${CONTACTS}: ${verdict(renderOk)}`,
        `  videos per hour                ${perHour.toFixed(0)}   target ≥ ${TARGET.perHour}: ${verdict(perHour >= TARGET.perHour)}`,
        (() => {
          const n = Math.max(1, rendered);
          const per = (v: number) => `${((v / n) * 1000).toFixed(0)} ms`;
          const total = (cpu.node + cpu.tools + cpu.bench) / n;
          return (
            `  CPU per contact                worker node ${per(cpu.node)} + its tools (ffmpeg, espeak, launcher) ${per(cpu.tools)}` +
            (child ? ` + API/bench process ${per(cpu.bench)}` : '') +
            ` = ${(total * 1000).toFixed(0)} ms (PostgreSQL not counted)\n` +
            `                                 → CPU-bound on ${os.cpus().length} idle cores: ≈ ${((os.cpus().length * 3600) / total).toFixed(0)} videos/hour; the worker's event loop alone caps it at ${((3600 * n) / Math.max(0.001, cpu.node)).toFixed(0)}/hour`
          );
        })(),
        `  peak worker RSS                ${mb(renderPeak.self)} node, ${mb(renderPeak.tree)} with ffmpeg/espeak children   target ≤ ${mb(TARGET.rssMb * 1024 * 1024)}: ${verdict(renderPeak.tree <= TARGET.rssMb * 1024 * 1024)}`,
        `  storage used                   ${mb(storage)} (${(storage / Math.max(1, rendered) / 1024).toFixed(0)} KB per contact: MP4 ${((durations.reduce((a, v) => a + (v.video_bytes ?? 0), 0) / Math.max(1, durations.length)) / 1024).toFixed(0)} KB + poster + GIF)`,
        send
          ? `  send throughput to local SMTP  ${send.perSec.toFixed(1)} messages/s (${send.sent} in ${send.seconds.toFixed(1)} s, throttle ${SEND_RATE}/min, ${SEND_CONCURRENCY} in flight)   target ≥ ${TARGET.msgPerSec}: ${verdict(send.perSec >= TARGET.msgPerSec)}`
          : '  send: skipped (BENCH_SEND=false)',
        bulk
          ? `  send throughput, ${bulk.sent} messages     ${bulk.perSec.toFixed(1)} messages/s (${bulk.seconds.toFixed(1)} s from the send request to status sent)   target ≥ ${TARGET.msgPerSec}: ${verdict(bulk.perSec >= TARGET.msgPerSec)}`
          : '',
        `  peak worker RSS while sending  ${mb(peak.self)} node`,
        '',
      ].join('\n'),
    );
  } finally {
    clearInterval(sampler);
    child?.kill('SIGTERM');
    if (child) await new Promise((r) => child!.once('exit', r));
    await inProcess?.stop({ timeoutMs: 1000 });
    await c.close();
    await smtp.close();
    await pg?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
