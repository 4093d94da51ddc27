import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProcessError, runProcess, usesLauncher } from './ffmpeg.runner';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of running processes whose command line holds `marker` (Linux /proc). */
async function pidsWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const e of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const cmd = await fs.readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(marker)) found.push(Number(e));
  }
  return found;
}

describe('media tools started through the process launcher', () => {
  it('is the default, and MEDIA_LAUNCHER=off spawns directly', () => {
    expect(usesLauncher({})).toBe(true);
    expect(usesLauncher({ MEDIA_LAUNCHER: 'off' })).toBe(false);
  });

  it('returns stdout byte for byte (binary, several MB) and feeds stdin', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
    const { stdout } = await runProcess('cat', [], { input: data });
    expect(stdout.length).toBe(data.length);
    expect(stdout.equals(data)).toBe(true);
    expect((await runProcess('sh', ['-c', 'printf "%s" "$(cat)"'], { input: 'Xin chào Nguyễn' })).stdout.toString()).toBe('Xin chào Nguyễn');
  });

  it('a failing tool is a ProcessError with its exit code and the tail of stderr', async () => {
    const err = await runProcess('sh', ['-c', 'echo "first line" >&2; echo "Invalid data found when processing input" >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessError);
    expect((err as ProcessError).exitCode).toBe(3);
    expect((err as ProcessError).message).toContain('Invalid data found when processing input');
  });

  it('a missing tool rejects with ENOENT, like a direct spawn', async () => {
    const err = (await runProcess('/nonexistent/ffmpeg', ['-version']).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ENOENT');
  });

  it('abort and timeout kill the tool, not just the wait', async () => {
    const marker = `mvs-launch-${process.pid}-${Date.now()}`;
    const ac = new AbortController();
    const run = runProcess('sh', ['-c', `sleep 30; echo ${marker}`], { signal: ac.signal });
    await sleep(300);
    const [pid] = await pidsWith(marker);
    expect(pid).toBeDefined();
    ac.abort(new Error('render canceled'));
    await expect(run).rejects.toThrow('render canceled');
    for (let i = 0; i < 40 && alive(pid!); i++) await sleep(50);
    expect(alive(pid!)).toBe(false);

    const marker2 = `${marker}-t`;
    const t0 = Date.now();
    await expect(runProcess('sh', ['-c', `sleep 30; echo ${marker2}`], { timeoutMs: 400 })).rejects.toThrow('timed out after 400 ms');
    expect(Date.now() - t0).toBeLessThan(5_000);
    await sleep(200);
    expect(await pidsWith(marker2)).toEqual([]);
  });

  it('runs tools side by side', async () => {
    const t0 = Date.now();
    const outs = await Promise.all([1, 2, 3, 4].map((n) => runProcess('sh', ['-c', `sleep 0.5; echo ${n}`])));
    expect(outs.map((o) => o.stdout.toString().trim())).toEqual(['1', '2', '3', '4']);
    expect(Date.now() - t0).toBeLessThan(1_900);
  });

  it('a SIGKILLed parent leaves no tool running, and an idle launcher does not keep a process alive', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-launcher-'));
    const marker = `mvs-orphan-${process.pid}-${Date.now()}`;
    const script = path.join(dir, 'parent.mts');
    await fs.writeFile(
      script,
      `import { runProcess } from ${JSON.stringify(path.join(ROOT, 'server/src/media/ffmpeg.runner.ts'))};\n` +
        `if (process.argv[2] === 'idle') { await runProcess('true', []); console.log('done'); }\n` +
        `else { runProcess('sh', ['-c', 'sleep 60; echo ${marker}']).catch(() => {}); console.log('started'); setInterval(() => {}, 1000); }\n`,
    );
    const start = (mode: string) => spawn(process.execPath, ['--import', 'tsx', script, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    // Idle: the process ends by itself once its tool is done (the launcher is unref'd).
    const idle = start('idle');
    let idleOut = '';
    idle.stdout!.on('data', (d: Buffer) => (idleOut += d.toString()));
    const idleCode = await new Promise<number | null>((r) => idle.on('exit', r));
    expect(idleOut.trim()).toBe('done');
    expect(idleCode).toBe(0);

    const parent = start('busy');
    await new Promise<void>((r) => parent.stdout!.on('data', (d: Buffer) => d.toString().includes('started') && r()));
    let tools: number[] = [];
    for (let i = 0; i < 60 && !tools.length; i++, await sleep(100)) tools = await pidsWith(marker);
    expect(tools.length).toBeGreaterThan(0);
    parent.kill('SIGKILL');
    for (let i = 0; i < 60 && tools.some(alive); i++) await sleep(100);
    expect(tools.filter(alive)).toEqual([]);
    await fs.rm(dir, { recursive: true, force: true });
  }, 30_000);
});
