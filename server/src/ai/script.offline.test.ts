import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_FIXTURES, loadEmail, type EmailFixture } from '../../test/fixtures/load-email';
import { resolveBinaries } from '../media/binaries';
import { EspeakTts } from '../media/espeak.tts';
import { draftScriptOffline } from './script.offline';

let dir: string;
beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-script-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

/** Speaks the text with the real espeak-ng (CLI, else the npm WASM build; default rate) and returns the WAV's duration. */
async function espeakSeconds(text: string, lang: 'en' | 'vi'): Promise<number> {
  const tts = new EspeakTts(resolveBinaries(process.env).espeak);
  return (await tts.synthesize(text, { language: lang }, await fs.mkdtemp(path.join(dir, 's-')))).durationSec;
}

const expectations: Record<EmailFixture, { lang: 'en' | 'vi'; greeting: RegExp; signer: string; mentions: string[] }> = {
  'sales-followup-en': { lang: 'en', greeting: /^Hi Priya!/, signer: 'Alex', mentions: ['40 vehicles', 'EU region', 'by the end of next week'] },
  'onboarding-welcome-en': { lang: 'en', greeting: /^Hi Jordan!/, signer: 'Sam', mentions: ['Zendesk', 'training session', 'before January 4'] },
  'real-estate-vi': { lang: 'vi', greeting: /^Chào chị Lan!/, signer: 'Quân', mentions: ['trường quốc tế', 'phí gửi xe', 'chị có thể đến xem nhà'] },
  'recruiting-offer-vi': { lang: 'vi', greeting: /^Chào Long!/, signer: 'Hà', mentions: ['thư mời nhận việc', 'trước ngày 5 tháng 1'] },
};

describe('draftScriptOffline on the sample emails', () => {
  for (const name of EMAIL_FIXTURES) {
    const want = expectations[name];
    it(`greets the author of ${name} by first name in ${want.lang}, answers the asks and signs as the reader`, async () => {
      const r = draftScriptOffline({ ...(await loadEmail(name)), language: 'auto', tone: 'friendly', length_sec: 40 });
      expect(r.language).toBe(want.lang);
      expect(r.engine).toBe('offline');
      expect(r.script).toMatch(want.greeting);
      expect(r.script).toMatch(new RegExp(`${want.signer}\\.$`));
      for (const m of want.mentions) expect(r.script).toContain(m);
    });

    it(`fits 20, 40 and 60 s for ${name}, also when spoken by espeak-ng`, async () => {
      const email = await loadEmail(name);
      for (const length_sec of [20, 40, 60] as const) {
        const r = draftScriptOffline({ ...email, language: 'auto', tone: 'professional', length_sec });
        expect(r.estimated_seconds).toBeLessThanOrEqual(length_sec);
        expect(r.estimated_seconds).toBeGreaterThan(length_sec === 20 ? 10 : 15);
        expect(await espeakSeconds(r.script, r.language)).toBeLessThanOrEqual(length_sec);
      }
    });
  }

  it('tells back the key fact when the length allows: numbers, names and dates of the email', async () => {
    const en = draftScriptOffline({ ...(await loadEmail('sales-followup-en')), language: 'auto', length_sec: 60 });
    expect(en.script).toContain("As you mentioned, your budget review is on December 2, so ideally you'd have this");
    const vi = draftScriptOffline({ ...(await loadEmail('recruiting-offer-vi')), language: 'auto', length_sec: 60 });
    expect(vi.script).toContain('Như em đã chia sẻ, ứng viên Võ Minh Khoa cho vị trí Frontend Developer đã đồng ý mức lương 35 triệu đồng.');
    expect(vi.script).toContain('CCCD và sổ bảo hiểm xã hội');
    const short = draftScriptOffline({ ...(await loadEmail('sales-followup-en')), language: 'auto', length_sec: 20 });
    expect(short.script).not.toContain('As you mentioned');
  });

  it('does not swap "em"/"anh" into nonsense: the Vietnamese ask is retold to the reader', async () => {
    const r = draftScriptOffline({ ...(await loadEmail('real-estate-vi')), language: 'auto', length_sec: 40 });
    expect(r.script).not.toContain('em có thể');
    expect(r.script).not.toContain('được không');
  });

  it('uses the tone: professional signs "Best regards"/"Trân trọng", enthusiastic sounds excited', async () => {
    const en = await loadEmail('sales-followup-en');
    const vi = await loadEmail('real-estate-vi');
    expect(draftScriptOffline({ ...en, language: 'auto', tone: 'professional', length_sec: 40 }).script).toMatch(/^Hello Priya\..*Best regards, Alex\.$/);
    expect(draftScriptOffline({ ...vi, language: 'auto', tone: 'professional', length_sec: 40 }).script).toMatch(/Trân trọng, Quân\.$/);
    expect(draftScriptOffline({ ...en, language: 'auto', tone: 'enthusiastic', length_sec: 40 }).script).toMatch(/Great to hear from you.*Cheers, Alex!$/);
  });

  it('writes Vietnamese for an English email when asked, and signs with sender_name', async () => {
    const r = draftScriptOffline({ ...(await loadEmail('sales-followup-en')), language: 'vi', sender_name: 'Trần Văn Minh', length_sec: 40 });
    expect(r.language).toBe('vi');
    expect(r.script).toMatch(/^Chào Priya!/);
    expect(r.script).toMatch(/Thân mến, Minh\.$/);
  });

  it('greets the first recipient when the sender wrote the email (compose mode)', async () => {
    const r = draftScriptOffline({
      subject: 'Căn hộ Thảo Điền',
      body: 'Em gửi chị thông tin căn hộ.',
      from: { name: 'Trần Văn Minh', email: 'minh@x.vn' },
      to: [{ name: 'Nguyễn Thị Lan', email: 'lan@x.vn' }],
      sender_name: 'Trần Văn Minh',
      language: 'auto',
      length_sec: 20,
    });
    expect(r.script).toMatch(/^Chào chị Lan!/);
    expect(r.script).toMatch(/Minh\.$/);
  });
});
