/* Test support (not a test): the Chromium the browser tests drive, found without downloading anything at run time. */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import type { LaunchOptions } from 'playwright-core';
import { isExecutable } from '../src/media/binaries';

/** Flags for every browser test: headless, no sandbox (CI runs as root), nothing phoning home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * How to launch Chromium: `CHROMIUM_PATH`, else Debian's /usr/bin/chromium (what CI installs), else the
 * headless build inside the @sparticuz/chromium npm tarball, unpacked once per version under the temp dir.
 */
export async function chromiumLaunchOptions(): Promise<LaunchOptions> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return { executablePath: configured, args: CHROMIUM_ARGS };
  if (isExecutable(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS };
  const dir = await unpackNpmChromium();
  return {
    executablePath: path.join(dir, 'chromium'),
    args: CHROMIUM_ARGS,
    // The build links libnss3/libnspr4, which a machine without Debian packages may lack: the package ships them
    // (built for Amazon Linux 2023, glibc 2.34). Its fonts are added to the system's, so text renders without any.
    env: { ...process.env, LD_LIBRARY_PATH: joinPath(path.join(dir, 'lib'), process.env.LD_LIBRARY_PATH), FONTCONFIG_FILE: path.join(dir, 'fonts.conf') },
  };
}

const joinPath = (first: string, rest: string | undefined) => (rest ? `${first}${path.delimiter}${rest}` : first);

/**
 * The package's own executablePath() unpacks to a fixed /tmp/chromium that it trusts once it exists, even half-written
 * by a parallel test worker or left by another version; here each worker unpacks into its own folder and renames it
 * into place, so a complete folder is the only thing ever found.
 */
async function unpackNpmChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  const pkgDir = path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..');
  const { version } = JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const bin = path.join(pkgDir, 'bin');
  const dir = path.join(os.tmpdir(), `sparticuz-chromium-${version}`);
  if (isExecutable(path.join(dir, 'chromium'))) return dir;

  const staging = await fs.mkdtemp(`${dir}.part-`);
  try {
    await Promise.all([
      pipeline(createReadStream(path.join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(path.join(staging, 'chromium'), { mode: 0o755 })),
      untarBrotli(path.join(bin, 'al2023.tar.br'), staging), // lib/
      untarBrotli(path.join(bin, 'fonts.tar.br'), path.join(staging, 'fonts')), // fonts.conf (Lambda paths, unused), fonts/
    ]);
    await fs.writeFile(path.join(staging, 'fonts.conf'), fontsConf(dir));
    await fs.rename(staging, dir);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    // Another worker renamed its complete copy into place first.
    if (!isExecutable(path.join(dir, 'chromium'))) throw e;
  }
  return dir;
}

/** Extracts a brotli-compressed tar with the system's tar (present on every Debian, even without extra packages). */
async function untarBrotli(archive: string, into: string): Promise<void> {
  await fs.mkdir(into, { recursive: true });
  const tar = spawn('tar', ['-x', '--no-same-owner', '-C', into], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => {
    tar.once('error', reject);
    tar.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar -x ${archive}: exit code ${code}`))));
  });
  await Promise.all([pipeline(createReadStream(archive), createBrotliDecompress(), tar.stdin as Writable), exited]);
}

const fontsConf = (dir: string) => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${dir}/fonts/fonts</dir>
  <cachedir>${dir}/fonts-cache</cachedir>
</fontconfig>
`;
