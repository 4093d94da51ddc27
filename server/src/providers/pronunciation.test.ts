import { describe, expect, it } from 'vitest';
import { entriesOf, Pronouncer } from './pronunciation';

const say = (entries: Record<string, string>, text: string) => new Pronouncer(entriesOf(entries)).apply(text).text;

describe('Pronouncer', () => {
  it('replaces whole words only, case-insensitively', () => {
    expect(say({ Nguyen: 'Nwin' }, 'Hi NGUYEN, nguyen and Nguyen. Nguyenville and SuperNguyen stay.')).toBe('Hi Nwin, Nwin and Nwin. Nguyenville and SuperNguyen stay.');
  });

  it('treats Vietnamese letters and combining marks as part of a word, and matches NFD text', () => {
    expect(say({ Nguyễn: 'Nwin' }, 'Chào anh Nguyễn Văn, Nguyễnh không đổi, NGUYỄN đổi.')).toBe('Chào anh Nwin Văn, Nguyễnh không đổi, Nwin đổi.');
    expect(say({ Nguyễn: 'Nwin' }, 'Anh Nguyễn'.normalize('NFD'))).toBe('Anh Nwin');
    // "Nguyễn" must not match "Nguyên" (another letter) nor the bare "Nguyen".
    expect(say({ Nguyễn: 'Nwin' }, 'Nguyên Nguyen')).toBe('Nguyên Nguyen');
  });

  it('prefers the longest entry and never replaces a replacement again', () => {
    const p = new Pronouncer(entriesOf({ Sao: 'Sow', 'Sao Mai': 'Sow My', Mai: 'My', My: 'NEVER' }));
    expect(p.apply('Sao Mai, sao   mai, Sao and Mai.')).toEqual({
      text: 'Sow My, Sow My, Sow and My.',
      replaced: [
        { word: 'Sao Mai', say_as: 'Sow My', count: 2 },
        { word: 'Sao', say_as: 'Sow', count: 1 },
        { word: 'Mai', say_as: 'My', count: 1 },
      ],
    });
  });

  it('lets later entries win (a video over the lexicon), escapes regex characters and ignores empty entries', () => {
    const p = new Pronouncer([
      { word: 'ACME', say_as: 'ack-me' },
      { word: 'acme', say_as: 'AK-mee' },
      { word: 'C++', say_as: 'C plus plus' },
      { word: '   ', say_as: 'x' },
      { word: 'blank', say_as: ' ' },
    ]);
    expect(p.size).toBe(2);
    expect(p.apply('ACME loves C++ and blank.').text).toBe('AK-mee loves C plus plus and blank.');
  });

  it('leaves text alone without entries', () => {
    expect(new Pronouncer([]).apply('Hello')).toEqual({ text: 'Hello', replaced: [] });
  });
});
