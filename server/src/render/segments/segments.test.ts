import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireFfprobe, resolveBinaries } from '../../media/binaries';
import { EspeakTts } from '../../media/espeak.tts';
import { parseWav } from '../../media/wav';
import { LocalStorage } from '../../storage/storage.local';
import { thumbnailTexts } from '../captions';
import { preparePhoto } from '../local-render';
import { GIF_MAX_BYTES, gifFromTemplate, makeGifTemplate } from '../thumbnails';
import type { PreparedAvatar } from '../prepared';
import { PhotoRenderer } from '../photo.renderer';
import type { RenderRequest } from '../renderer';
import { SegmentRenderer, type SegmentRequest } from './segments';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });
const run = promisify(execFile);
const bins = resolveBinaries(process.env);
const ffmpeg = bins.ffmpeg!;
const ffprobe = requireFfprobe(bins);
const tts = new EspeakTts(bins.espeak);
const SHARED = 'We help sales teams answer every customer with a short personal video, made in seconds from Outlook. I would love to show you how it works next week.';

let dir: string;
let prepared: PreparedAvatar;
let storage: LocalStorage;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segments-test-'));
  storage = new LocalStorage(path.join(dir, 'objects'), 'http://localhost', 'segments-test-secret');
  prepared = await preparePhoto(await fs.readFile(path.resolve(__dirname, '../../../test/fixtures/portraits/hopper.jpg')), 'portrait');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

let speakCalls: string[] = [];
const request = async (name: string, extra: Partial<SegmentRequest> = {}): Promise<SegmentRequest> => ({
  tenantId: 'tenant-seg',
  prepared,
  personalText: `Hi ${name}, it was great to meet you at the fair!`,
  sharedText: SHARED,
  language: 'en',
  voiceKey: 'espeak:en-us',
  speak: (text, workDir) => {
    speakCalls.push(text);
    return tts.synthesize(text, { language: 'en' }, workDir);
  },
  texts: thumbnailTexts('en', name),
  headMotion: true,
  workDir: await fs.mkdtemp(path.join(dir, `${name}-`)),
  ...extra,
});

/** MD5 of every decoded video frame with its timestamp (ffmpeg's framemd5 muxer). */
async function frameHashes(file: string): Promise<{ sec: number; md5: string }[]> {
  const { stdout } = await run(ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { maxBuffer: 64 << 20 });
  const tb = /#tb 0: (\d+)\/(\d+)/.exec(stdout);
  const [num, den] = tb ? [Number(tb[1]), Number(tb[2])] : [1, 1];
  return stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').map((c) => c.trim()))
    .map((c) => ({ sec: (Number(c[2]) * num) / den, md5: c[5]! }));
}

/** A GIF's frames as rgb24, each one the full picture as shown (ffmpeg composes the partial frames). */
async function gifFrames(file: string): Promise<{ width: number; height: number; frames: Buffer[] }> {
  const { stdout: dims } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]);
  const [width, height] = dims.trim().split(',').map(Number) as [number, number];
  const { stdout } = await run(ffmpeg, ['-v', 'error', '-i', file, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 256 << 20 });
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) frames.push(stdout.subarray(o, o + size));
  return { width, height, frames };
}

async function probe(file: string) {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  const j = JSON.parse(stdout) as { streams: { codec_type: string; duration?: string }[]; format: { duration: string } };
  return { duration: Number(j.format.duration), video: j.streams.find((s) => s.codec_type === 'video')!, audio: j.streams.find((s) => s.codec_type === 'audio')! };
}

describe('campaign segment reuse', () => {
  it('renders the shared part once, joins each personal part by stream copy, with exact length and no decode error', async () => {
    const seg = new SegmentRenderer({ ffmpeg, storage, cacheDir: path.join(dir, 'cache') });
    speakCalls = [];
    const anna = await seg.render(await request('Anna'));
    const bob = await seg.render(await request('Bob'));
    expect(anna.reusedShared).toBe(false);
    expect(bob.reusedShared).toBe(true);
    // The shared text was spoken once; each personal part once.
    expect(speakCalls.filter((t) => t === SHARED)).toHaveLength(1);
    expect(speakCalls.filter((t) => t.startsWith('Hi '))).toHaveLength(2);

    for (const out of [anna, bob]) {
      const info = await probe(out.videoPath);
      // Duration of the joined video = its audio (± 0.1 s), and what the renderer reports.
      expect(Math.abs(Number(info.video.duration) - Number(info.audio.duration))).toBeLessThanOrEqual(0.1);
      expect(Math.abs(info.duration - out.durationSec)).toBeLessThanOrEqual(0.1);
      // A full decode reports no error (ffmpeg prints decode errors at -v error).
      const dec = await run(ffmpeg, ['-v', 'error', '-i', out.videoPath, '-f', 'null', '-']);
      expect(dec.stderr.trim()).toBe('');
      // faststart: moov before mdat.
      const head = (await fs.readFile(out.videoPath)).subarray(0, 64 << 10).toString('latin1');
      expect(head.indexOf('moov')).toBeGreaterThan(0);
      expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
      // The GIF (the shared part's frames, made once, with this contact's caption) and the poster exist.
      expect(out.gifSource).toBe('template');
      expect((await fs.stat(out.gifPath)).size).toBeGreaterThan(10_000);
      expect((await fs.stat(out.gifPath)).size).toBeLessThanOrEqual(GIF_MAX_BYTES);
      expect((await fs.stat(out.posterPath)).size).toBeGreaterThan(5_000);
      const gifDecode = await run(ffmpeg, ['-v', 'error', '-i', out.gifPath, '-f', 'null', '-']);
      expect(gifDecode.stderr.trim()).toBe('');
    }
    // Each GIF carries its contact's caption on every frame and animates (the mouth moves): decoded, Anna's and
    // Bob's frames differ in the same pixels — the caption band at the bottom — in every frame, and nowhere else.
    const [ga, gb] = await Promise.all([gifFrames(anna.gifPath), gifFrames(bob.gifPath)]);
    expect(ga.frames.length).toBeGreaterThan(5);
    expect(gb.frames.length).toBe(ga.frames.length);
    const differing = (a: Buffer, b: Buffer) => {
      const px: number[] = [];
      for (let p = 0; p < a.length / 3; p++) if (a[p * 3] !== b[p * 3] || a[p * 3 + 1] !== b[p * 3 + 1] || a[p * 3 + 2] !== b[p * 3 + 2]) px.push(p);
      return px;
    };
    const first = differing(ga.frames[0]!, gb.frames[0]!);
    expect(first.length).toBeGreaterThan(100);
    expect(Math.min(...first.map((p) => Math.floor(p / ga.width)))).toBeGreaterThan(ga.height * 0.6);
    for (let k = 1; k < ga.frames.length; k++) expect(differing(ga.frames[k]!, gb.frames[k]!)).toEqual(first);
    expect(differing(ga.frames[0]!, ga.frames.at(-1)!).length).toBeGreaterThan(50);
    // Frames: the personal parts differ between contacts, the shared part's frames are identical.
    const [ha, hb] = await Promise.all([frameHashes(anna.videoPath), frameHashes(bob.videoPath)]);
    const sharedA = ha.filter((f) => f.sec >= anna.personalSec - 1e-3).map((f) => f.md5);
    const sharedB = hb.filter((f) => f.sec >= bob.personalSec - 1e-3).map((f) => f.md5);
    expect(sharedA.length).toBeGreaterThan(20);
    expect(sharedB).toEqual(sharedA);
    const personalA = ha.filter((f) => f.sec < anna.personalSec - 1e-3).map((f) => f.md5);
    const personalB = hb.filter((f) => f.sec < bob.personalSec - 1e-3).map((f) => f.md5);
    expect(personalA.length).toBeGreaterThan(5);
    expect(personalA.join()).not.toEqual(personalB.join());
    // The audio: personal speech then the shared speech, sample-exact: the joined track is as long as both.
    const wavA = parseWav(await fs.readFile(path.join(path.dirname(anna.videoPath), 'joined.wav')));
    expect(Math.abs(wavA.durationSec - anna.durationSec)).toBeLessThan(0.01);
  });

  it('a GIF template refuses a caption that reaches the moving pixels, and a file over the budget (the renderer then makes the GIF in full)', async () => {
    const seg = new SegmentRenderer({ ffmpeg, storage, cacheDir: path.join(dir, 'cache') });
    const out = await seg.render(await request('Chi'));
    const t = await makeGifTemplate({ ffmpeg, input: { kind: 'video', path: out.videoPath }, videoWidth: prepared.width, videoHeight: prepared.height, texts: thumbnailTexts('en', 'Chi'), outPath: '' });
    expect(t.movingBox).not.toBeNull();
    const target = path.join(dir, 'tpl.gif');
    // A caption of the same layout changes only glyph pixels, which do not move here.
    expect(await gifFromTemplate(t, thumbnailTexts('en', 'Dan'), target)).toBeGreaterThan(10_000);
    // Had every pixel moved, another caption could not go into frame 1 alone.
    const allMoving = { ...t, analysis: { ...t.analysis, region: new Uint8Array(t.width * t.height).fill(1) } };
    expect(await gifFromTemplate(allMoving, thumbnailTexts('en', 'Dimitrios'), target)).toBeNull();
    // The same caption is no change at all, even where everything moves.
    expect(await gifFromTemplate(allMoving, thumbnailTexts('en', 'Chi'), target)).toBeGreaterThan(10_000);
    expect(await gifFromTemplate(t, thumbnailTexts('en', 'Dan'), target, 20_000)).toBeNull();
  });

  it('takes the shared part from storage in a new process (another worker), and re-renders it for another voice', async () => {
    const fresh = new SegmentRenderer({ ffmpeg, storage, cacheDir: path.join(dir, 'cache-other-worker') });
    speakCalls = [];
    const chris = await fresh.render(await request('Chris'));
    expect(chris.reusedShared).toBe(true);
    expect(speakCalls).not.toContain(SHARED);
    const other = await fresh.render(await request('Dana', { voiceKey: 'espeak:en-gb' }));
    expect(other.reusedShared).toBe(false);
    // Keyed on what is spoken: a contact's own pronunciation (personal part only) keeps the shared part, a lexicon
    // entry that changes how the shared part is said renders it again.
    const own = await fresh.render(await request('Nguyen', { personalSpoken: 'Hi Nwen, it was great to meet you at the fair!', sharedSpoken: SHARED }));
    expect(own.reusedShared).toBe(true);
    const lexicon = await fresh.render(await request('Emma', { sharedSpoken: SHARED.replace('Outlook', 'Out look') }));
    expect(lexicon.reusedShared).toBe(false);
  });

  it('is what the photo renderer does for a video whose options carry segments (what campaigns set)', async () => {
    const spoken: string[] = [];
    const renderer = new PhotoRenderer({
      binaries: bins,
      storage,
      cacheDir: path.join(dir, 'cache-photo'),
      loadPrepared: () => Promise.resolve(prepared),
      speech: (req) => {
        spoken.push(req.video.script);
        return tts.synthesize(req.video.script, { language: 'en' }, req.workDir);
      },
    });
    const req = async (name: string): Promise<RenderRequest> => {
      const personal = `Hi ${name}, lovely to meet you!`;
      return {
        video: { tenant_id: 'tenant-photo', script: `${personal} ${SHARED}`, language: 'en', format: 'portrait', options: { recipient_name: name, head_motion: false, segments: { personal, shared: SHARED } } },
        avatar: { id: 'a1', tenant_id: 'tenant-photo', photo_key: 'k', prepared: {}, voice_settings: {} },
        workDir: await fs.mkdtemp(path.join(dir, `photo-${name}-`)),
        onProgress: () => {},
        signal: new AbortController().signal,
      } as unknown as RenderRequest;
    };
    const a = await renderer.render(await req('Eve'));
    const b = await renderer.render(await req('Finn'));
    // The shared sentence was spoken once for both videos; each greeting once; never the whole script.
    const first = [...spoken];
    // With the tenant's lexicon in play (the wiring passes SpeechService.spokenText), a changed entry re-renders the shared part.
    const withLexicon = new PhotoRenderer({
      binaries: bins, storage, cacheDir: path.join(dir, 'cache-photo'), loadPrepared: () => Promise.resolve(prepared),
      speech: (r) => {
        spoken.push(r.video.script);
        return tts.synthesize(r.video.script, { language: 'en' }, r.workDir);
      },
      spokenText: (_tenant, text) => Promise.resolve(text.replace('Outlook', 'Out look')),
    });
    spoken.length = 0;
    await withLexicon.render(await req('Gus'));
    expect(spoken).toContain(SHARED);
    spoken.length = 0;
    await withLexicon.render(await req('Hana'));
    expect(spoken).not.toContain(SHARED);
    expect(first.filter((t) => t === SHARED)).toHaveLength(1);
    expect(first.filter((t) => t.startsWith('Hi '))).toEqual(['Hi Eve, lovely to meet you!', 'Hi Finn, lovely to meet you!']);
    for (const out of [a, b]) {
      const info = await probe(out.videoPath);
      expect(Math.abs(info.duration - out.durationSec)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(Number(info.video.duration) - Number(info.audio.duration))).toBeLessThanOrEqual(0.1);
    }
  });
});
