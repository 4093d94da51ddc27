import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = path.join(ROOT, 'addin', 'dist');
const STAMP = path.join(DIST, 'build-size.json');
const INPUTS = ['addin/src', 'addin/assets', 'shared/src/i18n', 'shared/src/email', 'shared/src/api', 'webpack.config.js', 'manifest.xml'];

function newestMtime(p: string): number {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : st.mtimeMs; // tests are not in the bundle
  return Math.max(st.mtimeMs, ...fs.readdirSync(full).map((n) => newestMtime(path.join(p, n))));
}

/** True when addin/dist is missing, not a production build, or older than any of its sources. */
export function addinBuildIsStale(): boolean {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(DIST, 'taskpane.html'))) return true;
  const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as { mode?: string };
  if (stamp.mode !== 'production') return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return INPUTS.some((p) => newestMtime(p) > built);
}

/** Runs the production webpack build when the bundle is missing or stale; returns the size report. */
export async function ensureAddinBuilt(): Promise<{ gzipBytes: number; budgetBytes: number; rebuilt: boolean }> {
  let rebuilt = false;
  if (addinBuildIsStale()) {
    const cli = path.join(ROOT, 'node_modules', 'webpack-cli', 'bin', 'cli.js');
    await promisify(execFile)(process.execPath, [cli, '--mode', 'production', '--config-name', 'addin'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
    rebuilt = true;
  }
  const report = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as { gzipBytes: number; budgetBytes: number };
  return { ...report, rebuilt };
}
