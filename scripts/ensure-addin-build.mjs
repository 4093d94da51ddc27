#!/usr/bin/env node
/* Before `npm start`: build the Outlook add-in (addin/dist) when it is missing or older than its sources. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'addin/dist/taskpane.html');
const sources = ['addin/src', 'addin/assets', 'shared/src', 'manifest.xml', 'webpack.config.js'].map((p) => path.join(root, p));

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (built && built >= changed) process.exit(0);
console.log(built ? 'add-in sources changed: rebuilding addin/dist …' : 'building the Outlook add-in once (addin/dist) …');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/webpack/bin/webpack.js'), '--mode', 'production'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('add-in build failed; the API still starts, but /addin/ is not served until `npm run build` succeeds');
}
