/* `npm run bench:render`: end-to-end render timings per stage on this machine (prints figures). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath, resolveBinaries } from '../src/media/binaries';
import { encodeRunsArgs } from '../src/media/ffmpeg-args';
import { probeMedia } from '../src/media/probe';
import { renderLocally, preparePhoto, type LocalRenderResult } from '../src/render/local-render';
import { EspeakTts } from '../src/media/espeak.tts';
import { thumbnailTexts } from '../src/render/captions';
import { renderTalking } from '../src/render/photo.renderer';
import { checkTalkingVideo } from '../src/render/quality-gate';
import { TEST_PORTRAITS } from '../test/fixtures/portraits/portraits';
import { X264_PARAMS } from '../src/render/photo.renderer';
import type { PreparedAvatar } from '../src/render/prepared';
import { LocalStorage } from '../src/storage/storage.local';
import { newKey } from '../src/storage/storage';
import { cpuSeconds } from './cpu';

const here = path.dirname(fileURLToPath(import.meta.url));
const PHOTO = path.join(here, '../test/fixtures/faces/portrait-astronaut.png');
const EN_30 =
  'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent, and I think we can make the ' +
  'timeline work if we move the kickoff to the second week of March. The team is excited about the new dashboard, and ' +
  'we would love to show you a short demo. Could you let me know which afternoon works best for you next week? I will ' +
  'send a calendar invite right away, together with the updated pricing sheet and the onboarding plan for your team. ' +
  'Talk soon, and have a great weekend. Best wishes from all of us.';
const EN_20 =
  'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent, and I think we can make the ' +
  'timeline work if we move the kickoff to the second week of March. The team is excited about the new dashboard. ' +
  'Could you let me know which afternoon works best for you next week? I will send the invite right away.';
const VI_10 = 'Chào anh Minh! Cảm ơn anh đã gửi báo giá hôm qua. Em đã xem kỹ các con số và nghĩ rằng chúng ta có thể bắt đầu vào tuần sau. Em sẽ gửi lịch họp cho anh nhé.';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_PARTS: which parts to run (comma list of lips, speed). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'lips,speed').split(','));
const EN_15 =
  'Hi Priya, thanks for your email about the renewal. I looked at the numbers you sent, and I think we can make the ' +
  'timeline work if we move the kickoff to the second week of March. The team is excited about the new dashboard, and we would love to show you a short demo.';
const VI_15 = 'Chào anh Minh! Cảm ơn anh đã gửi báo giá hôm qua. Em đã xem kỹ các con số và nghĩ rằng chúng ta có thể bắt đầu vào tuần sau. Em sẽ gửi lịch họp cho anh nhé, và mong sớm được gặp anh tại văn phòng của công ty vào sáng thứ năm.';

const bins = resolveBinaries(process.env);
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-bench-'));
const storage = new LocalStorage(path.join(root, 'objects'), 'http://localhost', 'bench-secret');
const photo = await fs.readFile(PHOTO);
const cacheDir = path.join(root, 'sprite-cache');
const ms = (v: number | undefined) => (v === undefined ? '   -  ' : `${Math.round(v).toString().padStart(5)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;


async function once(script: string, language: string, renderer: 'photo' | 'static', prepared?: PreparedAvatar, headMotion = true) {
  const workDir = await fs.mkdtemp(path.join(root, 'job-'));
  const c0 = await cpuSeconds();
  const t0 = performance.now();
  const r = await renderLocally({ binaries: bins, photo, script, language, renderer, format: 'portrait', workDir, cacheDir, prepared, headMotion });
  const tu = performance.now();
  await Promise.all(
    [[r.output.videoPath, 'mp4', 'video/mp4'], [r.output.posterPath, 'jpg', 'image/jpeg'], [r.output.gifPath, 'gif', 'image/gif']].map(([f, ext, type]) =>
      storage.putFile(newKey('bench', 'videos', ext!), f!, type!),
    ),
  );
  r.timings.upload = performance.now() - tu;
  r.timings.total = performance.now() - t0;
  r.timings.cpu = ((await cpuSeconds()) - c0) * 1000;
  const info = await probeMedia(r.output.videoPath, bins.ffprobe!);
  const sizes = { poster: (await fs.stat(r.output.posterPath)).size, gif: (await fs.stat(r.output.gifPath)).size };
  return { r, info, sizes, workDir };
}

async function series(label: string, script: string, language: string, renderer: 'photo' | 'static', prepared?: PreparedAvatar, headMotion = true) {
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await once(script, language, renderer, prepared, headMotion));
  const best = results.reduce((a, b) => (a.r.timings.total! <= b.r.timings.total! ? a : b));
  const t = (k: string) => median(results.map((x) => x.r.timings[k] ?? 0));
  const speechSec = best.r.speech.durationSec;
  console.log(`\n${label} — ${renderer}${renderer === 'photo' ? (headMotion ? ' + head motion' : ', lips only') : ''}, ${speechSec.toFixed(1)} s of speech, ${RUNS} runs (median; best total ${ms(best.r.timings.total)})`);
  console.log(`  tts ${ms(t('tts'))} | plan ${ms(t('plan'))} | sprites ${ms(t('sprites'))} | warp ${ms(t('warp'))} (inside encode: frames stream to x264) | encode ${ms(t('encode'))} (the quality gate's decode runs inside it, on the encoder's tee) | poster ${ms(t('poster'))} | gif ${ms(t('gif'))} (poster, gif and encode run in parallel) | quality gate analysis ${ms(t('gate'))} (after the encode) | upload ${ms(t('upload'))}`);
  const total = t('total');
  const g = best.r.gate;
  const frames = best.r.frames ? `; ${best.r.frames.distinct} frames encoded (${best.r.frames.posed} with a posed head) of ${Math.ceil(speechSec * 25)}` : '';
  if (g) console.log(`  quality gate: ${g.ok ? 'passed' : `FAILED (${g.problems.join('; ')})`}${best.r.attempts === 2 ? ' after a lips-only retry' : ''}; mouth motion vs loudness r = ${g.r.toFixed(3)} (target ≥ 0.75)${frames}`);
  console.log(`  TOTAL ${ms(total)}  = ${(speechSec / (total / 1000)).toFixed(1)}x real time (target ≥ 10x); CPU ${ms(t('cpu'))} (node + ffmpeg + espeak), i.e. ≥ ${(t('cpu') / 2000).toFixed(2)} s wall on 2 idle cores`);
  console.log(`  MP4 ${best.info.sizeBytes} bytes = ${(best.info.sizeBytes / 1024 / best.info.durationSec).toFixed(1)} KB/s, ${best.info.width}x${best.info.height} ${best.info.videoCodec}/${best.info.audioCodec}, ${best.info.durationSec.toFixed(2)} s, faststart ${best.info.faststart}; poster ${best.sizes.poster} B, GIF ${best.sizes.gif} B`);
  return { total, cpu: t('cpu'), speechSec, best, r: best.r.gate?.r };
}

/** Peak RSS of one ffmpeg encode of the 30 s video (re-run under /usr/bin/time, when present). */
function ffmpegPeakRss(result: LocalRenderResult, workDir: string): number | null {
  const time = findOnPath('time') ?? (process.platform === 'linux' ? '/usr/bin/time' : null);
  if (!time) return null;
  const list = path.join(workDir, result.renderer === 'photo' ? 'frames.ffconcat' : 'still.ffconcat');
  // A head-motion render streams its frames to ffmpeg (no list to replay).
  if (!existsSync(list)) return null;
  const args = encodeRunsArgs({ listPath: list, audioPath: result.speech.wavPath, durationSec: result.speech.durationSec, outPath: path.join(workDir, 'rss.mp4'), x264Params: X264_PARAMS });
  const r = spawnSync(time, ['-f', '%M', bins.ffmpeg!, '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  const kb = Number(r.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb * 1024 : null;
}

console.log(`render benchmark on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`ffmpeg ${bins.ffmpeg}, espeak ${JSON.stringify(bins.espeak)}`);
const tp = performance.now();
const prepared = await preparePhoto(photo, 'portrait');
const prepCold = performance.now() - tp;
const tp2 = performance.now();
await preparePhoto(photo, 'portrait');
const prepWarm = performance.now() - tp2;
console.log(`\navatar preparation (face detection + sprites, 720x1280): first ${ms(prepCold)} (includes model load), again ${ms(prepWarm)}`);
await once('Hi.', 'en', 'photo', prepared); // warm-up: JIT, sprite cache

/** Mouth motion vs loudness (r) per portrait and language, on the decoded MP4 (head pose compensated). */
async function lipsTable() {
  const tts = new EspeakTts(bins.espeak);
  const speeches = {
    en: await tts.synthesize(EN_15, { language: 'en' }, await fs.mkdtemp(path.join(root, 'en-'))),
    vi: await tts.synthesize(VI_15, { language: 'vi' }, await fs.mkdtemp(path.join(root, 'vi-'))),
    // The recorded-voice path: a WAV without phoneme marks (espeak's British voice, slower, stands in for a recording).
    recording: await tts.synthesize(EN_15, { language: 'en', voice: 'en-gb', rate: 150 }, await fs.mkdtemp(path.join(root, 'rec-'))).then((s) => ({ ...s, marks: undefined })),
  };
  console.log(`\nmouth motion vs loudness, r per portrait (target ≥ 0.75; decoded output, head pose compensated; head motion on)`);
  console.log(`  ${'portrait'.padEnd(22)} ${Object.keys(speeches).map((k) => `${k} (${speeches[k as keyof typeof speeches].durationSec.toFixed(1)} s)`.padEnd(20)).join('')} traits`);
  for (const p of TEST_PORTRAITS) {
    const prep = await preparePhoto(await fs.readFile(p.file), 'portrait');
    const cells: string[] = [];
    for (const s of Object.values(speeches)) {
      const wd = await fs.mkdtemp(path.join(root, 'lips-'));
      const out = await renderTalking({ ffmpeg: bins.ffmpeg!, prepared: prep, speech: s, texts: thumbnailTexts('en'), workDir: wd, cacheDir, headMotion: true });
      const g = await checkTalkingVideo({ ffmpeg: bins.ffmpeg!, videoPath: out.videoPath, wavPath: s.wavPath, prepared: prep, plan: out.plan, rig: out.rig, fps: 25 });
      cells.push(`${g.r.toFixed(3)}${g.ok ? '' : ' GATE FAIL'}`.padEnd(20));
      await fs.rm(wd, { recursive: true, force: true });
    }
    console.log(`  ${p.id.padEnd(22)} ${cells.join('')} ${p.traits.join(', ')}${p.derived ? ' (derived image)' : ''}`);
  }
}
if (PARTS.has('lips')) await lipsTable();
if (!PARTS.has('speed')) {
  await fs.rm(root, { recursive: true, force: true });
  process.exit(0);
}
const en30 = await series('English 30 s', EN_30, 'en', 'photo', prepared);
const en30lips = await series('English 30 s', EN_30, 'en', 'photo', prepared, false);
await series('Vietnamese 10 s', VI_10, 'vi', 'photo', prepared);
const en20 = await series('English 20 s', EN_20, 'en', 'photo', prepared);
await series('Static renderer, English 30 s', EN_30, 'en', 'static');
const speedOf = (x: { speechSec: number; total: number }) => `${(x.speechSec / (x.total / 1000)).toFixed(1)}x`;
console.log(`\nsummary, 30 s English script on this machine (load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
console.log(`  head motion: ${speedOf(en30)} real time (target ≥ 10x), CPU ${Math.round(en30.cpu)} ms, r = ${en30.r?.toFixed(3) ?? '-'}`);
console.log(`  lips only:   ${speedOf(en30lips)} real time, CPU ${Math.round(en30lips.cpu)} ms, r = ${en30lips.r?.toFixed(3) ?? '-'}`);
console.log(`\nvideos per hour per worker (20 s script, sequential): ${Math.floor(3_600_000 / en20.total)} at this load; CPU-bound on 2 idle cores: ${Math.floor(3_600_000 / (en20.cpu / 2))}`);
const rss = ffmpegPeakRss(en30.best.r, en30.best.workDir);
const node = process.resourceUsage().maxRSS * 1024;
console.log(`peak memory: node ${(node / 1048576).toFixed(0)} MB; ffmpeg encode of the 30 s video ${rss ? (rss / 1048576).toFixed(0) + ' MB' : 'n/a'}; sum ${rss ? ((node + rss) / 1048576).toFixed(0) : '-'} MB`);
await fs.rm(root, { recursive: true, force: true });
