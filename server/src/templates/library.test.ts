import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { splitScript, splitSentencesOf } from '@mvs/shared/templates/script-parts';
import { renderTemplate, requiredVariables, templateVariables } from '@mvs/shared/templates/variables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import { LIBRARY } from './templates.library';

const CASES: Record<string, string[]> = {
  sales: ['cold_outreach', 'follow_up', 'product_demo'],
  customer_success: ['onboarding', 'support_answer', 'thank_you'],
  hr: ['offer', 'welcome_aboard'],
  real_estate: ['property_tour', 'follow_up', 'market_update'],
};
const VALUES = { first_name: 'Minh', company: 'Sao Mai', xung_ho: 'anh' };

describe('built-in template library', () => {
  it("has the seed's four use cases with every template in English and Vietnamese, under unique keys", () => {
    const expected = Object.entries(CASES).flatMap(([uc, slugs]) => slugs.flatMap((s) => [`${uc}.${s}.en`, `${uc}.${s}.vi`]));
    expect(LIBRARY.map((t) => t.key).sort()).toEqual(expected.sort());
    expect(new Set(LIBRARY.map((t) => `${t.language}:${t.name}`)).size).toBe(LIBRARY.length);
  });

  it.each(LIBRARY.map((t) => [t.key, t] as const))('%s: the first sentence is the personal greeting, the rest is shared and free of variables', (_k, t) => {
    const parts = splitScript(t.script);
    expect(parts.reusable).toBe(true);
    expect(parts.personal).toBe(splitSentencesOf(t.script)[0]);
    expect(templateVariables(parts.personal).map((v) => v.name)).toContain('first_name');
    expect(parts.shared.length).toBeGreaterThan(parts.personal.length * 2);
  });

  it.each(LIBRARY.map((t) => [t.key, t] as const))('%s: has subject, body with one {{video}}, caption, and only first_name may lack a fallback', (_k, t) => {
    expect(t.subject && t.body && t.poster_caption && t.description).toBeTruthy();
    expect(t.body.match(/\{\{\s*video\s*\}\}/g)).toHaveLength(1);
    const required = new Set([t.script, t.subject, t.body, t.poster_caption].flatMap(requiredVariables).filter((n) => n !== 'video'));
    expect([...required]).toEqual(t.language === 'vi' ? ['first_name'] : []);
    // No empty fallbacks: a missing name must never leave "Hi , …" behind.
    expect([t.script, t.subject, t.body, t.poster_caption].join(' ')).not.toMatch(/\|\s*\}\}/);
    for (const text of [t.script, t.subject, t.poster_caption]) expect(renderTemplate(text, VALUES).missing).toEqual([]);
  });

  it('writes Vietnamese with its diacritics, in NFC, and the spoken text without slashes', () => {
    for (const t of LIBRARY.filter((x) => x.language === 'vi')) {
      for (const text of [t.name, t.script, t.subject, t.body, t.poster_caption]) expect(text.normalize('NFC')).toBe(text);
      expect(t.script).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
      expect(t.script).not.toContain('/');
    }
  });
});

describe('built-in scripts spoken by espeak-ng', () => {
  let dir: string;
  const tts = new EspeakTts(resolveBinaries(process.env).espeak);
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-library-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('last 20–40 s each, rendered for a contact', async () => {
    const durations: Record<string, number> = {};
    // The WASM build (no Debian espeak-ng) takes ~5 s a script: there, speak the bounds only, the shortest
    // and the longest script of each language (duration grows with length).
    const byLength = (lang: string) => LIBRARY.filter((t) => t.language === lang).sort((a, b) => a.script.length - b.script.length);
    const scripts = resolveBinaries(process.env).espeak.kind === 'cli' ? LIBRARY : ['en', 'vi'].flatMap((l) => [byLength(l)[0]!, byLength(l).at(-1)!]);
    for (const t of scripts) {
      const work = await fs.mkdtemp(path.join(dir, 'w-'));
      const r = await tts.synthesize(renderTemplate(t.script, VALUES).text, { language: t.language }, work);
      durations[t.key] = Math.round(r.durationSec * 10) / 10;
    }
    const outside = Object.entries(durations).filter(([, s]) => s < 20 || s > 40);
    expect(outside, JSON.stringify(durations)).toEqual([]);
  }, 120_000);
});
