/**
 * Avatar preparation benchmark: `npx tsx server/bench/prepare.bench.ts [photo]`.
 * Prints model load, cold and warm detection, sprite generation, JPEG encoding and total prepare time
 * (wall and CPU; the target is ≤ 2 s per avatar on 2 cores).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeForDetection, locateFace } from '../src/render/face/face-detect';
import { faceModels } from '../src/render/face/face-models';
import { analyzePhoto, buildFormatSprites } from '../src/render/prepare/prepare-photo';

const photoPath = process.argv[2] ?? fileURLToPath(new URL('../test/fixtures/faces/portrait-astronaut.png', import.meta.url));
const photo = fs.readFileSync(photoPath);
const ms = (v: number) => `${Math.round(v)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

const load = await timed(() => faceModels());
const decoded = await decodeForDetection(photo);
const cold = await timed(() => locateFace(decoded.image, decoded.scale, 80));
const warm: number[] = [];
for (let i = 0; i < 3; i++) warm.push((await timed(() => locateFace(decoded.image, decoded.scale, 80))).wall);

const runs: Array<{ wall: number; cpu: number; t: Record<string, number> }> = [];
for (let i = 0; i < 3; i++) {
  const r = await timed(async () => {
    const face = await analyzePhoto(photo);
    const s = await buildFormatSprites(photo, face, 'portrait');
    return { ...face.timings, ...s.timings, bytes: [...s.prepared.mouth, s.prepared.closed, s.prepared.rounded, ...s.prepared.blink].reduce((a, b) => a + b.length, 0) };
  });
  runs.push({ wall: r.wall, cpu: r.cpu, t: r.value });
}
const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));

console.log(`photo: ${photoPath} (${decoded.width}x${decoded.height})`);
console.log(`model load + warm-up (once per process): ${ms(load.wall)} wall, ${ms(load.cpu)} CPU`);
console.log(`detection, first after load: ${ms(cold.wall)} (${cold.value.tried.join('→')}); warm: ${warm.map(ms).join(' / ')}`);
console.log(`prepare (decode + detect + crop + 16 sprites + JPEG), best of 3: ${ms(best.wall)} wall, ${ms(best.cpu)} CPU`);
console.log(`  decode ${ms(best.t.decodeMs!)}, detect ${ms(best.t.detectMs!)}, crop ${ms(best.t.cropMs!)}, sprites ${ms(best.t.spritesMs!)}, encode ${ms(best.t.encodeMs!)}, ${Math.round(best.t.bytes! / 1024)} KB`);
console.log(`  all runs: ${runs.map((r) => `${ms(r.wall)} wall / ${ms(r.cpu)} CPU`).join(', ')}`);
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; load average now: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
