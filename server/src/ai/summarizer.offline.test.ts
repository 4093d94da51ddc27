import { describe, expect, it } from 'vitest';
import { loadEmail } from '../../test/fixtures/load-email';
import { summarizeOffline } from './summarizer.offline';

const has = (list: string[], needle: string) => list.some((x) => x.toLowerCase().includes(needle.toLowerCase()));

describe('summarizeOffline on the sample emails', () => {
  it('keeps the three asks, Martin, December 2 and the vehicle counts of the sales follow-up', async () => {
    const r = summarizeOffline(await loadEmail('sales-followup-en'));
    expect(r.language).toBe('en');
    expect(r.engine).toBe('offline');
    expect(r.asks).toHaveLength(3);
    expect(has(r.asks, 'price for 40 vehicles')).toBe(true);
    expect(has(r.asks, 'data stays in the EU region')).toBe(true);
    expect(has(r.asks, 'forward to our CFO, Martin')).toBe(true);
    expect(r.people).toEqual(expect.arrayContaining(['Priya Raman', 'Alex Carter', 'Martin']));
    expect(r.dates).toEqual(expect.arrayContaining(['December 2', 'the end of next week', 'last Thursday']));
    expect(r.numbers).toEqual(expect.arrayContaining(['40 vehicles', '3 months', '220 vehicles']));
    expect(r.summary).toMatch(/^Priya writes about "Pricing for the fleet tracking pilot" and asks for 3 things\./);
    expect(r.bullets.length).toBeGreaterThanOrEqual(3);
  });

  it('turns the HTML onboarding list into three questions and drops the signature', async () => {
    const r = summarizeOffline(await loadEmail('onboarding-welcome-en'));
    expect(r.language).toBe('en');
    expect(r.asks).toEqual([
      'Could you tell me how the data import from Zendesk works?',
      'Could you tell me whether you run a live training session for the agents?',
      'Could you tell me who our contact person is after go-live?',
    ]);
    expect(r.dates).toContain('January 4');
    expect(r.numbers).toContain('12 support agents');
    expect(r.people).toEqual(expect.arrayContaining(['Jordan Lee', 'Sam Okafor']));
    expect(JSON.stringify(r)).not.toMatch(/confidential|Support Lead/i);
  });

  it('keeps the rent, the rooms, Saturday and the three Vietnamese questions of the real-estate email', async () => {
    const r = summarizeOffline(await loadEmail('real-estate-vi'));
    expect(r.language).toBe('vi');
    expect(r.asks).toEqual([
      'Căn hộ có gần trường quốc tế không?',
      'Phí quản lý và phí gửi xe là bao nhiêu?',
      'Cuối tuần này (thứ Bảy) em có thể đến xem nhà được không?',
    ]);
    expect(r.numbers).toEqual(expect.arrayContaining(['18 triệu đồng', '2 phòng ngủ']));
    expect(has(r.dates, 'thứ Bảy')).toBe(true);
    expect(r.people).toEqual(expect.arrayContaining(['Nguyễn Thị Lan', 'Trần Minh Quân']));
    expect(r.summary).toContain('Lan viết về "Hỏi về căn hộ 2 phòng ngủ ở Thảo Điền" và cần 3 việc.');
  });

  it('keeps the candidate, salary, start date and the request of the recruiting email', async () => {
    const r = summarizeOffline(await loadEmail('recruiting-offer-vi'));
    expect(r.language).toBe('vi');
    expect(r.people).toEqual(expect.arrayContaining(['Võ Minh Khoa', 'Phạm Hoàng Long', 'Lê Thu Hà']));
    expect(r.numbers).toContain('35 triệu đồng');
    expect(r.dates).toContain('ngày 5 tháng 1');
    expect(r.asks).toHaveLength(1);
    expect(r.asks[0]).toMatch(/^Chị gửi giúp em thư mời nhận việc .* CCCD và sổ bảo hiểm xã hội/);
    // "Bạn ấy có thể bắt đầu…" states a fact; "có thể" alone is not a request.
    expect(has(r.asks, 'bắt đầu')).toBe(false);
    expect(r.bullets.join(' ')).toContain('Võ Minh Khoa');
  });

  it('honours an explicit language over detection', async () => {
    const r = summarizeOffline({ ...(await loadEmail('sales-followup-en')), language: 'vi' });
    expect(r.language).toBe('vi');
    expect(r.summary).toMatch(/^Priya viết về/);
  });

  it('summarizes an email in well under 50 ms', async () => {
    const emails = await Promise.all((['sales-followup-en', 'real-estate-vi'] as const).map(loadEmail));
    summarizeOffline(emails[0]!); // warm up the regular expressions
    const t = performance.now();
    for (let i = 0; i < 20; i++) for (const e of emails) summarizeOffline(e);
    expect((performance.now() - t) / 40).toBeLessThan(50);
  });
});
