import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = path.join(ROOT, 'portal', 'dist');
const STAMP = path.join(DIST, 'build-size.json');
const INPUTS = ['portal/src', 'shared/src', 'webpack.config.js'];

function newestMtime(p: string): number {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : st.mtimeMs; // tests are not in the bundle
  return Math.max(st.mtimeMs, ...fs.readdirSync(full).map((n) => newestMtime(path.join(p, n))));
}

/** True when portal/dist is missing, not a production build, or older than any of its sources. */
export function portalBuildIsStale(): boolean {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(DIST, 'index.html'))) return true;
  const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as { mode?: string };
  if (stamp.mode !== 'production') return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return INPUTS.some((p) => newestMtime(p) > built);
}

/** Runs the portal's production webpack build when missing or stale; returns the first-load size report. */
export async function ensurePortalBuilt(): Promise<{ gzipBytes: number; budgetBytes: number; rawBytes: number; lazyChunks: number; rebuilt: boolean }> {
  let rebuilt = false;
  if (portalBuildIsStale()) {
    const cli = path.join(ROOT, 'node_modules', 'webpack-cli', 'bin', 'cli.js');
    await promisify(execFile)(process.execPath, [cli, '--mode', 'production', '--config-name', 'portal'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
    rebuilt = true;
  }
  const report = JSON.parse(fs.readFileSync(STAMP, 'utf8')) as { gzipBytes: number; budgetBytes: number; rawBytes: number; lazyChunks: number };
  return { ...report, rebuilt };
}
