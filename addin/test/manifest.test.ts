import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const XML = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
const BASE = 'https://localhost:3000/addin/';

/** An element in document order: name without namespace prefix, attributes, children. */
interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

function toEls(nodes: Record<string, unknown>[]): El[] {
  const out: El[] = [];
  for (const n of nodes) {
    const key = Object.keys(n).find((k) => k !== ':@')!;
    if (key === '#text' || key === '?xml' || key === '#comment') continue;
    const raw = n[key] as Record<string, unknown>[];
    const attrs = Object.fromEntries(Object.entries((n[':@'] as Record<string, string>) ?? {}).map(([k, v]) => [k.replace(/^@_/, ''), v]));
    const text = raw.filter((c) => '#text' in c).map((c) => String(c['#text'])).join('');
    out.push({ name: key.replace(/^.*:/, ''), attrs, children: toEls(raw), text });
  }
  return out;
}

const doc = toEls(new XMLParser({ preserveOrder: true, ignoreAttributes: false, commentPropName: '#comment', parseTagValue: false }).parse(XML))[0]!;
const all = (el: El): El[] => [el, ...el.children.flatMap(all)];
const child = (el: El, name: string) => el.children.find((c) => c.name === name);
const els = all(doc);
const byName = (name: string) => els.filter((e) => e.name === name);
const versionOverrides = byName('VersionOverrides');
const v11 = versionOverrides.find((v) => v.attrs['xsi:type'] === 'VersionOverridesV1_1')!;
const resources = child(v11, 'Resources')!;
const resourceIds = (group: string) => new Map(child(resources, group)!.children.map((r) => [r.attrs.id!, r]));

describe('manifest.xml (add-in-only XML manifest)', () => {
  it('is a MailApp whose top-level elements follow the schema order', () => {
    expect(doc.name).toBe('OfficeApp');
    expect(doc.attrs['xsi:type']).toBe('MailApp');
    const order = ['Id', 'AlternateId', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl',
      'SupportUrl', 'AppDomains', 'Hosts', 'Requirements', 'FormSettings', 'Permissions', 'Rule', 'DisableEntityHighlighting', 'VersionOverrides'];
    const names = doc.children.map((c) => c.name);
    expect(names.every((n) => order.includes(n))).toBe(true);
    expect(names.map((n) => order.indexOf(n))).toEqual([...names.map((n) => order.indexOf(n))].sort((a, b) => a - b));
    expect(child(doc, 'Id')!.text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(child(doc, 'Version')!.text).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('asks for ReadWriteItem, the Mailbox set, and activates on read and compose messages', () => {
    expect(child(doc, 'Permissions')!.text).toBe('ReadWriteItem');
    expect(byName('Set').some((s) => s.attrs.Name === 'Mailbox')).toBe(true);
    const forms = byName('Rule').filter((r) => r.attrs['xsi:type'] === 'ItemIs').map((r) => `${r.attrs.ItemType}/${r.attrs.FormType}`);
    expect(forms.sort()).toEqual(['Message/Edit', 'Message/Read']);
    const formSettings = child(doc, 'FormSettings')!.children;
    const edit = formSettings.find((f) => f.attrs['xsi:type'] === 'ItemEdit')!;
    expect(all(edit).some((e) => e.name === 'RequestedHeight')).toBe(false); // the schema rejects it there
    expect(formSettings.some((f) => f.attrs['xsi:type'] === 'ItemRead')).toBe(true);
  });

  it('has "Add video" on the compose ribbon and "Video reply" on the read ribbon, both opening a pinnable task pane', () => {
    const strings = resourceIds('ShortStrings');
    const surfaces = byName('ExtensionPoint');
    const buttons = (type: string) => all(surfaces.find((s) => s.attrs['xsi:type'] === type)!).filter((e) => e.name === 'Control');
    const label = (c: El) => strings.get(child(c, 'Label')!.attrs.resid!)!.attrs.DefaultValue;
    const compose = buttons('MessageComposeCommandSurface');
    const read = buttons('MessageReadCommandSurface');
    const pane = (c: El) => child(c, 'Action')!;
    expect(compose.map(label)).toContain('Add video');
    expect(read.map(label)).toEqual(['Video reply']);
    for (const c of [compose.find((b) => label(b) === 'Add video')!, read[0]!]) {
      expect(pane(c).attrs['xsi:type']).toBe('ShowTaskpane');
      expect(child(pane(c), 'SupportsPinning')!.text).toBe('true');
    }
    // SupportsPinning exists only in the V1_1 schema.
    const v10Only = all(versionOverrides[0]!).filter((e) => !all(v11).includes(e));
    expect(v10Only.some((e) => e.name === 'SupportsPinning')).toBe(false);
  });

  it('resolves every resid to a resource of the right kind, with unique ids within limits', () => {
    const images = resourceIds('Images');
    const urls = resourceIds('Urls');
    const strings = new Map([...resourceIds('ShortStrings'), ...resourceIds('LongStrings')]);
    const refs = els.filter((e) => e.attrs.resid);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) {
      const id = r.attrs.resid!;
      expect(id.length, id).toBeLessThanOrEqual(32);
      const pool = r.name === 'Image' ? images : ['SourceLocation', 'FunctionFile'].includes(r.name) ? urls : strings;
      expect(pool.has(id), `${r.name} resid="${id}"`).toBe(true);
    }
    const ids = [...child(resources, 'Images')!.children, ...child(resources, 'Urls')!.children, ...resourceIds('ShortStrings').values(), ...resourceIds('LongStrings').values()].map((r) => r.attrs.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of resourceIds('ShortStrings').values()) expect(s.attrs.DefaultValue!.length).toBeLessThanOrEqual(125);
    for (const s of resourceIds('LongStrings').values()) expect(s.attrs.DefaultValue!.length).toBeLessThanOrEqual(250);
    const controlIds = byName('Control').map((c) => c.attrs.id);
    expect(new Set(controlIds).size).toBe(controlIds.length);
  });

  it('gives every button 16/32/80 px icons and uses https URLs under one base', () => {
    for (const c of byName('Control')) {
      const sizes = child(c, 'Icon')!.children.map((i) => i.attrs.size);
      expect(sizes.sort()).toEqual(['16', '32', '80']);
    }
    // Namespace declarations (xmlns*) are identifiers, not fetched URLs.
    const urls = els
      .flatMap((e) => Object.entries(e.attrs).filter(([k]) => !k.startsWith('xmlns')).map(([, v]) => v).concat(e.text))
      .filter((v) => /^[a-z]+:\/\//i.test(v));
    expect(urls.length).toBeGreaterThan(8);
    for (const u of urls) {
      expect(u.startsWith('https://'), u).toBe(true);
      if (!u.startsWith('https://login.microsoftonline.com')) expect(u.startsWith(BASE) || u === 'https://localhost:3000/docs', u).toBe(true);
    }
  });

  it('points at icon files that exist with the right pixel sizes', async () => {
    const icons = [
      ...resourceIds('Images').values(),
      { attrs: { DefaultValue: child(doc, 'IconUrl')!.attrs.DefaultValue!, size: '64' } },
      { attrs: { DefaultValue: child(doc, 'HighResolutionIconUrl')!.attrs.DefaultValue!, size: '128' } },
    ];
    for (const img of icons) {
      const url = img.attrs.DefaultValue!;
      const file = path.join(ROOT, 'addin', url.slice(BASE.length));
      const expected = Number(url.match(/icon-(\d+)\.png$/)![1]);
      if ('size' in img.attrs) expect(expected).toBe(Number(img.attrs.size));
      const meta = await sharp(file).metadata();
      expect([meta.format, meta.width, meta.height], url).toEqual(['png', expected, expected]);
    }
  });

  it('is rewritten for production to one https base URL, leaving no localhost behind', async () => {
    const webpackConfig = pathToFileURL(path.join(ROOT, 'webpack.config.js')).href;
    const { rewriteManifest } = (await import(webpackConfig)) as { rewriteManifest(xml: string, base: string): string };
    const prod = rewriteManifest(XML, 'https://video.acme.example/');
    expect(prod).not.toContain('localhost');
    expect(prod).toContain('<SourceLocation DefaultValue="https://video.acme.example/addin/taskpane.html"/>');
    expect(prod).toContain('<bt:Image id="Icon.80" DefaultValue="https://video.acme.example/addin/assets/icon-80.png"/>');
  });

  it('names a function the commands page registers for each ExecuteFunction button', () => {
    const commands = fs.readFileSync(path.join(ROOT, 'addin/src/office/commands.ts'), 'utf8');
    const functions = byName('FunctionName').map((f) => f.text);
    expect(functions.length).toBeGreaterThan(0);
    for (const f of functions) expect(commands).toContain(`Office.actions.associate('${f}'`);
  });
});
