import { uniqueByText } from './entities';
import { foldDiacritics, type Lang } from './language';

const NOT_NAMES = new Set([
  'hi', 'hello', 'dear', 'hey', 'thanks', 'thank', 'ok', 'okay', 'yes', 'no', 'great', 'good', 'best', 'regards',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april',
  'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'please', 'could', 'can', 'would',
]);
/** Words before a capitalised word that make it a place, product or company rather than a person. */
const NON_PERSON_BEFORE = /\b(from|in|at|on|to|via|by|of|the|use|using|into|our|your|their|my)\s*$/i;
const GREETING_BEFORE = /\b(hi|hello|dear|hey)\s*,?\s*$/i;
/** Vietnamese forms of address followed by a name: "anh Quân", "Chị Hà", "ứng viên Võ Minh Khoa". */
const VI_KIN =
  /(?:^|\s)(?:[Aa]nh|[Cc]hị|[Ee]m|[Cc]ô|[Cc]hú|[Bb]ác|[Ôô]ng|[Bb]à|[Bb]ạn|[Ứứ]ng viên|[Kk]hách hàng|[Tt]rưởng nhóm|[Gg]iám đốc)\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,3})/gu;
const VI_SURNAME_RUN =
  /(?<![\p{L}])((?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trương|Mai|Cao|Lâm|Lương|Trịnh|Đoàn)(?:\s+\p{Lu}\p{Ll}*){1,3})/gu;
const EN_CAPITALISED = /(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){0,2})/gu;

/** People named in the text: header names first, then "anh Quân"/"Võ Minh Khoa" (vi) or capitalised names (en). */
export function extractPeople(units: string[], headerNames: string[], lang: Lang): string[] {
  const found: string[] = headerNames.filter(Boolean);
  for (const text of units) {
    for (const m of text.matchAll(VI_SURNAME_RUN)) found.push(m[1]!);
    for (const m of text.matchAll(VI_KIN)) found.push(m[1]!);
    if (lang === 'vi') continue;
    for (const m of text.matchAll(EN_CAPITALISED)) {
      const name = m[1]!;
      // Only the few characters before the name matter; a bounded window keeps long texts linear.
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      if (NOT_NAMES.has(name.split(/\s+/)[0]!.toLowerCase())) continue;
      if (foldDiacritics(name) !== name) continue; // accented capitalised words in English text are places
      const sentenceStart = (m.index <= 40 && before.trim() === '') || /[.!?:]\s*$/.test(before);
      if (GREETING_BEFORE.test(before) || (!sentenceStart && !NON_PERSON_BEFORE.test(before))) found.push(name);
    }
  }
  return dedupeNames(uniqueByText(found.map((n) => n.replace(/\s+/g, ' ').trim())));
}

/** Drops a name that is only part of a longer name already listed ("Quân" when "Trần Minh Quân" is there). */
function dedupeNames(names: string[]): string[] {
  const words = (s: string) => s.toLowerCase().split(' ');
  return names.filter((n, i) => !names.some((o, j) => j !== i && o.length > n.length && words(n).every((w) => words(o).includes(w))));
}
