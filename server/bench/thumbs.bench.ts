/*
 * `npm run bench:thumbs`: poster and GIF size and time for every test portrait (the demo one, the committed
 * test portraits under server/test/fixtures/portraits/, and the derived worst cases of
 * server/src/render/thumbnails-portraits.fixture.ts), next to the previous ffmpeg palettegen GIF.
 * Knobs: BENCH_RUNS (3, timing runs per portrait), BENCH_DERIVED=false (skip the derived portraits).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveBinaries } from '../src/media/binaries';
import { EspeakTts } from '../src/media/espeak.tts';
import { gifArgs } from '../src/media/ffmpeg-args';
import { runFfmpeg } from '../src/media/ffmpeg.runner';
import { thumbnailTexts } from '../src/render/captions';
import { preparePhoto } from '../src/render/local-render';
import { renderTalking } from '../src/render/photo.renderer';
import { drawOverlay, GIF_MAX_BYTES, makeGif, makePoster, POSTER_MAX_BYTES, thumbnailSizes, type GifReport, type PosterReport } from '../src/render/thumbnails';
import { portraitSet } from '../src/render/thumbnails-portraits.fixture';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const SCRIPT = 'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent, and the timeline works.';
const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-thumbs-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
const pad = (s: string | number, n: number) => String(s).padEnd(n);

console.log(`bench:thumbs on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ffmpeg ${ffmpeg}; ${RUNS} timing runs each (median)`);
console.log(`targets: poster ≤ ${kb(POSTER_MAX_BYTES)}, GIF ≤ ${kb(GIF_MAX_BYTES)}, first GIF frame with badge + play button (checked by thumbnails.test.ts)\n`);

const speech = await new EspeakTts(bins.espeak).synthesize(SCRIPT, { language: 'en' }, await fs.mkdtemp(path.join(root, 'tts-')));
const texts = thumbnailTexts('en', 'Priya');
const rows: string[][] = [];
let failed = 0;
const portraits = await portraitSet({ derived: process.env.BENCH_DERIVED !== 'false' });
for (const p of portraits) {
  const workDir = await fs.mkdtemp(path.join(root, `${p.name}-`));
  let prepared;
  try {
    prepared = await preparePhoto(p.photo, 'portrait');
  } catch (e) {
    console.log(`${p.name}: not a usable portrait for the photo renderer (${(e as Error).message})`);
    continue;
  }
  // The real renderer once (frame plan, sprites, concat list), then the thumbnails alone for clean timings.
  await renderTalking({ ffmpeg, prepared, speech, texts, workDir, cacheDir: path.join(root, 'sprites') });
  const input = { kind: 'concat' as const, path: path.join(workDir, 'frames.ffconcat') };
  const gifR: GifReport[] = [];
  const posterR: PosterReport[] = [];
  const oldMs: number[] = [];
  let oldBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const g: Partial<GifReport> = {};
    await makeGif({ ffmpeg, input, videoWidth: prepared.width, videoHeight: prepared.height, texts, outPath: path.join(workDir, `g${i}.gif`), report: g });
    gifR.push(g as GifReport);
    const pr: Partial<PosterReport> = {};
    await makePoster(prepared.mouth[0]!, prepared.width, prepared.height, texts, path.join(workDir, `p${i}.jpg`), pr);
    posterR.push(pr as PosterReport);
    // Before: ffmpeg palettegen (diff stats, 128 colours) + paletteuse (bayer) over the same frames and overlay.
    const { gif } = thumbnailSizes(prepared.width, prepared.height);
    const ov = path.join(workDir, 'old-overlay.png');
    await fs.writeFile(ov, drawOverlay(gif.width, gif.height, texts));
    const t0 = performance.now();
    await runFfmpeg(ffmpeg, gifArgs({ input, overlayPath: ov, width: gif.width, height: gif.height, seconds: 3, outPath: path.join(workDir, 'old.gif') }));
    oldMs.push(performance.now() - t0);
    oldBytes = (await fs.stat(path.join(workDir, 'old.gif'))).size;
  }
  const g = gifR[0]!;
  const pr = posterR[0]!;
  if (g.bytes > GIF_MAX_BYTES || pr.bytes > POSTER_MAX_BYTES) failed++;
  rows.push([
    p.name, kb(pr.bytes), `q${pr.quality}${pr.width < 600 ? ` ${pr.width}px` : ''}`, String(pr.encodes), `${median(posterR.map((r) => r.ms)).toFixed(0)} ms`,
    kb(g.bytes), `${g.rung}: ${g.width}x${g.height} ${g.fps} fps ${g.seconds} s${g.outsideDither ? '' : ' flat bg'}`, String(g.frames), String(g.encodes),
    `${((g.estimate / g.bytes - 1) * 100).toFixed(0)} %`, `${(g.movingShare * 100).toFixed(1)} %`,
    `${median(gifR.map((r) => r.ms)).toFixed(0)} ms (${median(gifR.map((r) => r.decodeMs)).toFixed(0)} decode)`, `${kb(oldBytes)}, ${median(oldMs).toFixed(0)} ms`,
  ]);
  console.log(`${p.name}: ${p.source}`);
}

const head = ['portrait', 'poster', 'quality', 'enc', 'poster time', 'GIF', 'ladder rung', 'frames', 'enc', 'estimate err', 'moving', 'GIF time', 'before (ffmpeg palettegen)'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
console.log(`\n${head.map((h, i) => pad(h, widths[i]!)).join(' | ')}`);
for (const r of rows) console.log(r.map((c, i) => pad(c, widths[i]!)).join(' | '));
console.log(`\n${failed ? `${failed} portrait(s) OVER BUDGET` : `all ${rows.length} portraits within budget (poster ≤ ${kb(POSTER_MAX_BYTES)}, GIF ≤ ${kb(GIF_MAX_BYTES)})`}`);
console.log('GIF time includes decoding the frames with ffmpeg; the poster and GIF run in parallel with the MP4 encode in a render.');
await fs.rm(root, { recursive: true, force: true });
if (failed) process.exitCode = 1;
