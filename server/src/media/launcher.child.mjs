// The process launcher (see launcher.ts): a small Node process that starts media tools (ffmpeg, ffprobe,
// espeak-ng) for its parent. fork() copies the page tables of the process that spawns, so a spawn from a
// worker holding a few hundred MB (face model, sprites, frames) costs 15–30 ms of blocked event loop each;
// from this ~40 MB process it costs about 1 ms. Messages (advanced serialization, Buffers survive):
//   parent → { type: 'run', id, command, args, input?, stdoutFile }   child → { type: 'exit', id, code, signal, stderr }
// The tool's stdout goes straight into `stdoutFile` (raw frames can be tens of MB: a file costs one copy, the IPC
// channel three), which the parent reads and removes.
//   parent → { type: 'kill', id }                          child → { type: 'error', id, message, code } (spawn failed)
// The child exits when its parent goes away (the IPC channel closes) and kills what it started.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const STDERR_LIMIT = 16_384;
const running = new Map();

process.on('message', (m) => {
  if (m.type === 'kill') {
    running.get(m.id)?.kill('SIGKILL');
    return;
  }
  if (m.type !== 'run') return;
  let child;
  let fd;
  try {
    fd = openSync(m.stdoutFile, 'w', 0o600);
    child = spawn(m.command, m.args, { stdio: ['pipe', fd, 'pipe'] });
  } catch (e) {
    process.send({ type: 'error', id: m.id, message: e.message, code: e.code });
    return;
  } finally {
    if (fd !== undefined) closeSync(fd); // the tool has its own copy
  }
  running.set(m.id, child);
  let err = '';
  let failed = false;
  child.stderr.on('data', (d) => {
    err = (err + d.toString()).slice(-STDERR_LIMIT);
  });
  child.on('error', (e) => {
    failed = true;
    running.delete(m.id);
    process.send({ type: 'error', id: m.id, message: e.message, code: e.code });
  });
  child.on('close', (code, signal) => {
    running.delete(m.id);
    if (!failed) process.send({ type: 'exit', id: m.id, code, signal, stderr: err });
  });
  child.stdin.on('error', () => {});
  child.stdin.end(m.input === undefined || m.input === null ? undefined : typeof m.input === 'string' ? m.input : Buffer.from(m.input));
});

process.on('disconnect', () => {
  for (const c of running.values()) c.kill('SIGKILL');
  process.exit(0);
});
