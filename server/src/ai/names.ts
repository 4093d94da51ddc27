import { foldDiacritics, hasVietnameseLetters } from './language';

/** Common Vietnamese family names (folded), which come FIRST in Vietnamese order. */
const VI_SURNAMES = new Set([
  'nguyen', 'tran', 'le', 'pham', 'hoang', 'huynh', 'phan', 'vu', 'vo', 'dang', 'bui', 'do', 'ho', 'ngo', 'duong', 'ly',
  'dinh', 'truong', 'mai', 'cao', 'lam', 'luong', 'trinh', 'doan', 'ta', 'to', 'chau', 'quach', 'thai', 'tang', 'kieu',
  'vuong', 'giang', 'la', 'luu', 'tieu', 'ton', 'trieu', 'van', 'dao', 'dam', 'ha', 'khuc', 'lai', 'mac', 'nghiem', 'thach',
]);
const TITLES = /^(mr|mrs|ms|miss|dr|prof|sir|madam|anh|chị|chi|em|cô|chú|bác|ông|bà|bạn)\.?$/i;

export interface GivenName {
  /** What to call the person: "Priya" for "Priya Raman", "Lan" for "Nguyễn Thị Lan". */
  given: string;
  /** Vietnamese form of address when the name reveals gender ("Thị" → chị, "Văn" → anh); else null. */
  honorific: 'anh' | 'chị' | null;
}

const isSurname = (w: string) => VI_SURNAMES.has(foldDiacritics(w).toLowerCase());

/** Splits a display name into the name to greet with; Vietnamese names put the given name LAST. */
export function givenName(fullName: string | undefined | null): GivenName | null {
  if (!fullName) return null;
  let name = fullName.replace(/\(.*?\)|<.*?>|["']/g, ' ').trim();
  // "Raman, Priya" (directory order) → "Priya Raman"
  const comma = name.split(',').map((s) => s.trim()).filter(Boolean);
  if (comma.length === 2 && !/\s/.test(comma[0] ?? '')) name = `${comma[1]} ${comma[0]}`;
  if (name.includes('@')) name = (name.split('@')[0] ?? '').replace(/[._-]+/g, ' ');
  const words = name.split(/\s+/).filter((w) => w && !TITLES.test(w) && /\p{L}/u.test(w));
  if (!words.length) return null;
  const cap = (w: string) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1);
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (words.length === 1) return { given: cap(first), honorific: null };
  const middle = words.slice(1, -1).map((w) => foldDiacritics(w).toLowerCase());
  const vietnameseOrder = hasVietnameseLetters(name) || (isSurname(first) && !isSurname(last));
  if (vietnameseOrder) {
    const honorific = middle.includes('thi') ? 'chị' : middle.includes('van') ? 'anh' : null;
    return { given: cap(last), honorific };
  }
  return { given: cap(first), honorific: null };
}
