import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wavTone } from '../../test/fixtures/images/media';
import { AppError } from '../errors';
import { requireFfmpeg, requireFfprobe, resolveBinaries } from '../media/binaries';
import { checkVoice } from './avatar-voice';
import { packetArgs, parsePacketEnd, parseProbe, probeArgs } from './voice-probe';

const run = promisify(execFile);
// The same binaries the server resolves: system ffmpeg/ffprobe, else the npm-shipped builds.
const bins = resolveBinaries(process.env);
const ffmpeg = requireFfmpeg(bins);
const ffprobe = requireFfprobe(bins);

/** Encodes `seconds` of tone with ffmpeg; `pipe` writes to a pipe so the container carries no duration. */
async function encode(seconds: number, args: string[], pipe = false): Promise<Buffer> {
  const input = ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=300:duration=${seconds}`];
  const { stdout } = await run(ffmpeg, [...input, ...args, pipe ? 'pipe:1' : '-'], { encoding: 'buffer', maxBuffer: 1 << 24 });
  return stdout;
}

describe('voice probe arguments and parsing', () => {
  it('builds ffprobe arguments that end with the file', () => {
    expect(probeArgs('/tmp/a.wav')).toEqual(['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name', '-of', 'json', '/tmp/a.wav']);
    expect(packetArgs('/tmp/a.webm').slice(-1)).toEqual(['/tmp/a.webm']);
  });

  it.each([
    ['{"streams":[{"codec_type":"audio","codec_name":"mp3"}],"format":{"duration":"3.5"}}', { hasAudio: true, codec: 'mp3', durationSec: 3.5 }],
    ['{"streams":[{"codec_type":"audio","codec_name":"opus"}],"format":{}}', { hasAudio: true, codec: 'opus', durationSec: null }],
    ['{"streams":[{"codec_type":"video","codec_name":"h264"}],"format":{"duration":"2"}}', { hasAudio: false, codec: null, durationSec: 2 }],
    ['{"format":{"duration":"N/A"}}', { hasAudio: false, codec: null, durationSec: null }],
  ])('parses %s', (json, want) => expect(parseProbe(json)).toEqual(want));

  it.each([
    ['0.000000,0.020000\n0.020000,0.020000\n1.980000,0.020000\n', 2],
    ['0.5,N/A\n', 0.5],
    ['', null],
  ])('finds the end of the last packet in %j', (csv, want) => expect(parsePacketEnd(csv)).toBe(want));
});

describe('checkVoice with real ffprobe', () => {
  it.each([
    ['mp3', ['-c:a', 'libmp3lame', '-f', 'mp3'], 'audio/mpeg'],
    ['m4a', ['-c:a', 'aac', '-f', 'ipod', '-movflags', 'frag_keyframe+empty_moov'], 'audio/mp4'],
    ['ogg', ['-c:a', 'libopus', '-f', 'ogg'], 'audio/ogg'],
    ['webm (as a browser recorder writes it, without a duration)', ['-c:a', 'libopus', '-f', 'webm'], 'audio/webm'],
  ])('recognises %s by content and measures about 1.5 s', async (_name, args, mime) => {
    const bytes = await encode(1.5, args, true);
    const v = await checkVoice(bytes, 'test', ffprobe);
    expect(v.mime).toBe(mime);
    expect(v.durationSec).toBeGreaterThan(1.4);
    expect(v.durationSec).toBeLessThan(1.65);
  });

  it('measures a WAV exactly', async () => {
    expect((await checkVoice(wavTone(3), 'test', ffprobe)).durationSec).toBe(3);
  });

  it('refuses an image with 415 and an MP3 cut off after its ID3 tag with 422', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await expect(checkVoice(png, 'test', ffprobe)).rejects.toMatchObject({ status: 415, code: 'unsupported_file_type' });
    const mp3 = await encode(1, ['-c:a', 'libmp3lame', '-f', 'mp3'], true);
    // The ID3 tag alone says "mp3" to the sniffer; ffprobe then finds no audio in it.
    const err = await checkVoice(mp3.subarray(0, 20), 'test', ffprobe).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'unreadable_file' });
  });

  it('answers 422 unreadable_file when ffprobe cannot run', async () => {
    await expect(checkVoice(wavTone(1), 'test', '/nonexistent/ffprobe')).rejects.toMatchObject({ status: 422, code: 'unreadable_file' });
  });
});
