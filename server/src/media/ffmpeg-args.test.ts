import { describe, expect, it } from 'vitest';
import { concatList, decodeToWavArgs, encodePipedArgs, encodeRunsArgs, framePtsScript, gateFramesArgs, gifArgs, joinClipsArgs, LAST_FRAME_SEC, mp4Output, stillRuns, x264Args } from './ffmpeg-args';

describe('ffmpeg argument builders', () => {
  it.each([
    { runs: [{ file: '/w/a.y4m', durationSec: 0.08 }], want: "ffconcat version 1.0\nfile '/w/a.y4m'\nduration 0.0800\nfile '/w/a.y4m'\n" },
    {
      runs: [{ file: '/w/a.y4m', durationSec: 0.04 }, { file: "/w/it's.y4m", durationSec: 1 }],
      want: "ffconcat version 1.0\nfile '/w/a.y4m'\nduration 0.0400\nfile '/w/it'\\''s.y4m'\nduration 1.0000\nfile '/w/it'\\''s.y4m'\n",
    },
  ])('writes a concat list that repeats the last file and quotes paths ($runs.length runs)', ({ runs, want }) => {
    expect(concatList(runs)).toBe(want);
  });

  it('refuses an empty concat list', () => {
    expect(() => concatList([])).toThrow(/at least one run/);
  });

  it.each([
    { dur: 2.5, runs: [1, 1, 0.46] },
    { dur: 1.04, runs: [1] },
    { dur: 0.5, runs: [0.46] },
  ])('splits a $dur s still into runs that end one frame before the audio', ({ dur, runs }) => {
    const got = stillRuns('s.y4m', dur).map((r) => Number(r.durationSec.toFixed(4)));
    expect(got).toEqual(runs);
    expect(got.reduce((a, b) => a + b, 0) + LAST_FRAME_SEC).toBeCloseTo(dur, 6);
  });

  it('encodes H.264 + AAC with faststart, fast AAC coder and the exact audio length', () => {
    const args = encodeRunsArgs({ listPath: 'l.txt', audioPath: 's.wav', durationSec: 12.3456, outPath: 'o.mp4', tune: 'stillimage' });
    expect(args.join(' ')).toBe(
      '-f concat -safe 0 -i l.txt -i s.wav -map 0:v:0 -map 1:a:0 -t 12.346 -vsync passthrough -c:v libx264 -preset veryfast ' +
        '-tune stillimage -crf 23 -bf 0 -pix_fmt yuv420p -profile:v high -level:v 4.0 -x264-params open_gop=0 ' +
        '-c:a aac -aac_coder fast -b:a 64k -ac 1 -movflags +faststart o.mp4',
    );
  });

  it('encodes a video-only clip with the same x264 settings as a whole render (so clips join by stream copy)', () => {
    const whole = encodeRunsArgs({ listPath: 'l', audioPath: 'a.wav', durationSec: 2, outPath: 'o.mp4', x264Params: 'me=dia' }).join(' ');
    const clip = encodeRunsArgs({ listPath: 'l', audioPath: null, durationSec: 2, outPath: 'o.mp4', x264Params: 'me=dia' }).join(' ');
    const piped = encodePipedArgs({ audioPath: null, durationSec: 2, outPath: 'o.mp4', width: 720, height: 1280, fps: 25, x264Params: 'me=dia' }).join(' ');
    const x264 = x264Args({ x264Params: 'me=dia' }).join(' ');
    for (const s of [whole, clip, piped]) expect(s).toContain(x264);
    expect(clip).toContain('-an');
    expect(clip).not.toContain('aac');
    expect(piped).toContain('mpdecimate=hi=1:lo=1:frac=0');
    expect(piped).toContain('-vsync vfr');
  });

  it('tees the encode into the MP4 and a NUT copy of its video packets on stdout when a tap is asked for', () => {
    expect(mp4Output('/w/o.mp4')).toEqual(['-movflags', '+faststart', '/w/o.mp4']);
    expect(mp4Output('/w/o.mp4', true)).toEqual(['-f', 'tee', '[f=mp4:movflags=+faststart]/w/o.mp4|[f=nut:select=v]pipe:1']);
    // The tee muxer's list syntax: a path's backslash, quote, bar and brackets are escaped.
    expect(mp4Output("/w/a|b [it's]\\c.mp4", true)[2]).toBe("[f=mp4:movflags=+faststart]/w/a\\|b \\[it\\'s\\]\\\\c.mp4|[f=nut:select=v]pipe:1");
    const piped = encodePipedArgs({ audioPath: 'a.wav', durationSec: 2, outPath: 'o.mp4', width: 720, height: 1280, fps: 25, tapVideo: true }).join(' ');
    expect(piped.endsWith('-ac 1 -f tee [f=mp4:movflags=+faststart]o.mp4|[f=nut:select=v]pipe:1')).toBe(true);
    const runs = encodeRunsArgs({ listPath: 'l', audioPath: null, durationSec: 2, outPath: 'o.mp4', tapVideo: true }).join(' ');
    expect(runs.endsWith('-an -f tee [f=mp4:movflags=+faststart]o.mp4|[f=nut:select=v]pipe:1')).toBe(true);
  });

  it('decodes for the quality gate: scaled before the frame-rate conversion, gray, one thread, from a file or a NUT pipe', () => {
    expect(gateFramesArgs('v.mp4', 180, 320).join(' ')).toBe('-threads 1 -i v.mp4 -map 0:v:0 -an -vf scale=180:320:flags=fast_bilinear,format=gray,fps=25 -f rawvideo pipe:1');
    expect(gateFramesArgs('pipe:0', 180, 320, 25, 'nut').join(' ')).toBe('-threads 1 -f nut -i pipe:0 -map 0:v:0 -an -vf scale=180:320:flags=fast_bilinear,format=gray,fps=25 -f rawvideo pipe:1');
  });

  it('gives piped frames their timestamps from a filter script instead of dropping repeats', () => {
    const piped = encodePipedArgs({ audioPath: null, durationSec: 2, outPath: 'o.mp4', width: 720, height: 1280, fps: 25, ptsScriptPath: '/w/f.pts' }).join(' ');
    expect(piped).toContain('-t 2.000 -filter_script:v /w/f.pts -vsync vfr');
    expect(piped).not.toContain('mpdecimate');
    expect(framePtsScript([0])).toBe("setpts='0'\n");
    expect(framePtsScript([0, 3, 4])).toBe("setpts='if(lt(N,1),0,if(lt(N,2),3,4))'\n");
    expect(() => framePtsScript([])).toThrow(/at least one/);
    // The tree picks pts[N] for every N (evaluated here the way ffmpeg reads it).
    const pts = Array.from({ length: 37 }, (_, i) => i * 3 + (i % 4));
    const expr = framePtsScript(pts).slice("setpts='".length, -2);
    const evalAt = (N: number) => Number(new Function('N', `const lt = (a, b) => a < b; const iff = (c, a, b) => (c ? a : b); return ${expr.replace(/if\(/g, 'iff(')};`)(N));
    pts.forEach((p, n) => expect(evalAt(n)).toBe(p));
  });

  it('joins clips by stream copy and encodes the one audio track', () => {
    const s = joinClipsArgs({ listPath: 'j.txt', audioPath: 'a.wav', durationSec: 27.04, outPath: 'o.mp4' }).join(' ');
    expect(s).toContain('-f concat -safe 0 -i j.txt -i a.wav');
    expect(s).toContain('-c:v copy -c:a aac');
    expect(s).toContain('-t 27.040');
    expect(s).toContain('-movflags +faststart');
  });

  it.each(['bframes=1', 'keyint=300:bframes=3'])(
    'keeps B-frames off, as their reorder delay makes the MP4 track longer or shorter than the speech (%s refused)',
    (x264Params) => {
      expect(() => encodeRunsArgs({ listPath: 'l', audioPath: 'a', durationSec: 1, outPath: 'o', x264Params })).toThrow(/B-frames/);
    },
  );

  it.each([
    { crf: 28, preset: 'superfast' as const, x264Params: 'keyint=300', has: ['-crf 28', '-preset superfast', '-x264-params open_gop=0:keyint=300'], not: ['-tune'] },
    { crf: undefined, preset: undefined, x264Params: undefined, has: ['-crf 23', '-preset veryfast', '-x264-params open_gop=0'], not: ['-tune'] },
  ])('passes encoder options through ($has)', ({ crf, preset, x264Params, has, not }) => {
    const s = encodeRunsArgs({ listPath: 'l', audioPath: 'a', durationSec: 1, outPath: 'o', crf, preset, x264Params }).join(' ');
    for (const h of [...has, '-bf 0']) expect(s).toContain(h);
    for (const n of not) expect(s).not.toContain(n);
  });

  it.each([
    { kind: 'concat' as const, input: '-t 3 -f concat -safe 0 -i in.txt -i ov.png' },
    { kind: 'video' as const, input: '-t 3 -i in.mp4 -i ov.png' },
  ])('builds a $kind GIF with overlay, palettegen diff stats and bayer dithering', ({ kind, input }) => {
    const s = gifArgs({ input: { kind, path: kind === 'concat' ? 'in.txt' : 'in.mp4' }, overlayPath: 'ov.png', width: 360, height: 640, outPath: 't.gif' }).join(' ');
    expect(s.startsWith(input)).toBe(true);
    expect(s).toContain('fps=10,scale=360:640');
    expect(s).toContain('[v][1:v]overlay=0:0');
    expect(s).toContain('palettegen=max_colors=128:stats_mode=diff');
    expect(s).toContain('paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle');
    expect(s.endsWith('-an -loop 0 -f gif t.gif')).toBe(true);
  });

  it('decodes any audio to mono 16-bit WAV', () => {
    expect(decodeToWavArgs('r.m4a', 'o.wav', 24000)).toEqual(['-i', 'r.m4a', '-vn', '-ac', '1', '-ar', '24000', '-c:a', 'pcm_s16le', '-f', 'wav', 'o.wav']);
  });
});
