import { describe, expect, it } from 'vitest';
import { parseCsvHeader } from './csv-header';

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16le = (s: string) => {
  const b = new Uint8Array(2 + s.length * 2);
  b[0] = 0xff;
  b[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    b[2 + i * 2] = s.charCodeAt(i) & 0xff;
    b[3 + i * 2] = s.charCodeAt(i) >> 8;
  }
  return b;
};

describe('parseCsvHeader (the wizard’s column mapping)', () => {
  it('reads a comma file with a BOM, quoted headers and a quoted newline in a value', () => {
    const h = parseCsvHeader(utf8('\ufeffemail,"First, name",company\r\nlan@x.example,"Lan\nNguyen",Sao Mai\r\n'));
    expect(h).toEqual({ headers: ['email', 'First, name', 'company'], delimiter: ',', sample: [['lan@x.example', 'Lan\nNguyen', 'Sao Mai']] });
  });

  it('sniffs semicolons and tabs, and decodes UTF-16 LE (Excel "Unicode text") with Vietnamese headers', () => {
    expect(parseCsvHeader(utf8('Email;Tên;Công ty\na@b.vn;Minh;Sao Mai\n')).headers).toEqual(['Email', 'Tên', 'Công ty']);
    const h = parseCsvHeader(utf16le('Email\tTên\tThành phố\r\nhoa@b.vn\tHoa\tĐà Nẵng\r\n'));
    expect(h.delimiter).toBe('\t');
    expect(h.headers).toEqual(['Email', 'Tên', 'Thành phố']);
    expect(h.sample[0]).toEqual(['hoa@b.vn', 'Hoa', 'Đà Nẵng']);
  });

  it('composes NFD names to NFC, as the server stores them', () => {
    const h = parseCsvHeader(utf8('email,first_name\nx@y.vn,Nguye\u0302\u0303n\n'));
    expect(h.sample[0]![1]).toBe('Nguyễn');
  });
});
