#!/usr/bin/env node
/* Before `npm start`: build the Outlook add-in (addin/dist) and the web portal (portal/dist) when missing or older than their sources. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = ['shared/src', 'webpack.config.js'];
const TARGETS = [
  { name: 'addin', what: 'the Outlook add-in', marker: 'addin/dist/taskpane.html', sources: ['addin/src', 'addin/assets', 'manifest.xml', ...shared], served: '/addin/' },
  { name: 'portal', what: 'the web portal', marker: 'portal/dist/index.html', sources: ['portal/src', ...shared], served: '/portal/' },
];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

for (const t of TARGETS) {
  const marker = path.join(root, t.marker);
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const changed = Math.max(...t.sources.map((p) => newest(path.join(root, p))));
  if (built && built >= changed) continue;
  console.log(built ? `${t.what}: sources changed, rebuilding ${path.dirname(t.marker)} …` : `building ${t.what} once (${path.dirname(t.marker)}) …`);
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/webpack/bin/webpack.js'), '--mode', 'production', '--config-name', t.name], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.error(`${t.what} build failed; the API still starts, but ${t.served} is not served until \`npm run build\` succeeds`);
}
