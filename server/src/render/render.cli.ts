import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBinaries } from '../media/binaries';
import { probeMedia } from '../media/probe';
import { detectLanguage } from '../videos/language';
import { renderLocally } from './local-render';
import { FORMATS, type VideoFormat } from './renderer';

const USAGE = `Usage: npm run render -- --photo face.jpg --script "..." --out out.mp4
  [--lang en|vi (default: detected)] [--renderer photo|static (default photo)] [--format portrait|landscape|square]
  [--script-file script.txt] [--voice <espeak voice>] [--rate <words/min>] [--pitch 0-99] [--name <recipient name>]
  [--no-head-motion (lips and blinks only)]
Writes out.mp4, out.jpg (poster) and out.gif next to each other.`;

/** `npm run render -- --photo face.jpg --script "..." --lang vi --out out.mp4`: renders without the server. */
export async function renderCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      photo: { type: 'string' },
      script: { type: 'string' },
      'script-file': { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      renderer: { type: 'string', default: 'photo' },
      format: { type: 'string', default: 'portrait' },
      voice: { type: 'string' },
      rate: { type: 'string' },
      pitch: { type: 'string' },
      name: { type: 'string' },
      'no-head-motion': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const script = values.script ?? (values['script-file'] ? await fs.readFile(values['script-file'], 'utf8') : undefined);
  const problems: string[] = [];
  if (!values.photo) problems.push('--photo is required');
  if (!script?.trim()) problems.push('--script (or --script-file) is required');
  if (!values.out) problems.push('--out is required');
  if (values.renderer !== 'photo' && values.renderer !== 'static') problems.push('--renderer must be photo or static');
  if (!(values.format! in FORMATS)) problems.push('--format must be portrait, landscape or square');
  if (values.lang && !['en', 'vi'].includes(values.lang)) problems.push('--lang must be en or vi');
  if (problems.length) throw new Error(`${problems.join('; ')}\n${USAGE}`);

  const out = path.resolve(values.out!);
  const base = out.replace(/\.mp4$/i, '');
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-cli-'));
  const t0 = performance.now();
  try {
    const result = await renderLocally({
      binaries: resolveBinaries(process.env),
      photo: await fs.readFile(values.photo!),
      script: script!,
      language: values.lang ?? detectLanguage(script!),
      renderer: values.renderer as 'photo' | 'static',
      format: values.format as VideoFormat,
      voice: values.voice,
      rate: values.rate ? Number(values.rate) : undefined,
      pitch: values.pitch ? Number(values.pitch) : undefined,
      recipientName: values.name,
      headMotion: !values['no-head-motion'],
      workDir,
      cacheDir: path.join(os.tmpdir(), 'mvs-sprite-cache'),
    });
    if (result.fallbackReason) console.warn(`photo renderer unavailable (${result.fallbackReason}); rendered static instead`);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.copyFile(result.output.videoPath, out);
    await fs.copyFile(result.output.posterPath, `${base}.jpg`);
    await fs.copyFile(result.output.gifPath, `${base}.gif`);
    const info = await probeMedia(out);
    const total = performance.now() - t0;
    const ms = Object.entries(result.timings).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ');
    console.log(`${result.renderer}: ${out} (${info.width}x${info.height} ${info.videoCodec}/${info.audioCodec}, ${info.durationSec.toFixed(2)} s, ${info.sizeBytes} bytes, faststart ${info.faststart})`);
    console.log(`poster ${base}.jpg, gif ${base}.gif; ${ms}; total ${Math.round(total)} ms`);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
