// Child process for @echogarden/espeak-ng-emscripten (GPL-3.0): keeps the GPL code out of the server's
// address space. Reads {voice, rate?, pitch?, text, out} as JSON on stdin, writes a mono 16-bit WAV to `out`
// and prints {sampleRate, samples, marks} as one JSON line (marks: espeak's word/phoneme events in ms).
// Reads {list: true} instead to print {voices} (language, name, file, gender as `espeak-ng --voices` shows them).
import { writeFileSync } from 'node:fs';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const { default: init } = await import('@echogarden/espeak-ng-emscripten');
const m = await init();
const w = new m.eSpeakNGWorker();
if (req.list) {
  const voices = w.list_voices().map((v, i) => {
    const info = w.get_voices(i);
    const gender = ['-', 'M', 'F'][info.gender] ?? '-';
    return { language: v.languages[0]?.name ?? '', name: v.name.replace(/ /g, '_'), file: v.identifier, gender: `--/${gender}` };
  });
  process.stdout.write(`${JSON.stringify({ voices })}\n`);
  process.exit(0);
}
w.set_voice(req.voice);
if (typeof req.rate === 'number') w.set_rate(Math.round(req.rate));
if (typeof req.pitch === 'number') w.set_pitch(Math.round(req.pitch));
const pcm = [];
const events = [];
w.synthesize(req.text, (samples, evs) => {
  if (samples && samples.length) pcm.push(Int16Array.from(samples));
  for (const e of evs) if (e.type === 'phoneme' || e.type === 'word') events.push(e);
  return false;
});
const rate = w.get_samplerate();
const total = pcm.reduce((a, s) => a + s.length, 0);
const wav = Buffer.alloc(44 + total * 2);
wav.write('RIFF', 0, 'latin1');
wav.writeUInt32LE(36 + total * 2, 4);
wav.write('WAVEfmt ', 8, 'latin1');
wav.writeUInt32LE(16, 16);
wav.writeUInt16LE(1, 20);
wav.writeUInt16LE(1, 22);
wav.writeUInt32LE(rate, 24);
wav.writeUInt32LE(rate * 2, 28);
wav.writeUInt16LE(2, 32);
wav.writeUInt16LE(16, 34);
wav.write('data', 36, 'latin1');
wav.writeUInt32LE(total * 2, 40);
let off = 44;
for (const s of pcm) for (const v of s) off = wav.writeInt16LE(v, off);
writeFileSync(req.out, wav);
const durationMs = (total / rate) * 1000;
const marks = [];
const phonemes = events.filter((e) => e.type === 'phoneme');
phonemes.forEach((e, i) => {
  const end = i + 1 < phonemes.length ? phonemes[i + 1].audio_position : durationMs;
  if (e.id) marks.push({ kind: 'phoneme', startMs: e.audio_position, endMs: Math.max(e.audio_position, end), value: String(e.id) });
});
process.stdout.write(`${JSON.stringify({ sampleRate: rate, samples: total, marks })}\n`);
