import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));

describe('Office isolation', () => {
  it('uses Office.js (Office.*, OfficeRuntime.*) only in addin/src/office/', () => {
    const sources = files(SRC).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(15);
    const offenders = sources
      .filter((f) => !f.startsWith(path.join(SRC, 'office') + path.sep))
      .filter((f) => /\bOffice(Runtime)?\.[A-Za-z]/.test(fs.readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
