/**
 * Which contact field an imported column fills, from its header as people's exports spell it (Outlook,
 * Google Contacts, HubSpot, Mailchimp, Excel sheets in English and Vietnamese). Used by the server's import
 * and by the portal's mapping wizard to suggest a mapping.
 */
import type { ContactField } from '../schemas/contacts';
import { variableName } from '../templates/variables';

/** variableName(header) → field. Vietnamese headers lose their diacritics in variableName ("Tên" → "ten"). */
const SYNONYMS: Record<string, ContactField> = {};
const add = (field: ContactField, names: string[]) => {
  for (const n of names) SYNONYMS[n] = field;
};
add('email', [
  'email', 'e_mail', 'email_address', 'e_mail_address', 'mail', 'email_1', 'e_mail_1', 'email_1_value', 'e_mail_1_value',
  'primary_email', 'work_email', 'business_email', 'email_id', 'contact_email',
  'courriel', 'correo', 'correo_electronico',
  'dia_chi_email', 'dia_chi_e_mail', 'thu_dien_tu', 'dia_chi_thu_dien_tu', 'hop_thu',
]);
add('first_name', [
  'first_name', 'firstname', 'first', 'given_name', 'fname', 'forename', 'prenom', 'vorname', 'nombre',
  'ten', 'ten_goi', 'ten_rieng',
]);
add('last_name', ['last_name', 'lastname', 'last', 'surname', 'family_name', 'lname', 'nom', 'nachname', 'apellido', 'apellidos', 'ho', 'ho_dem', 'ho_va_ten_dem']);
add('company', [
  'company', 'company_name', 'organization', 'organisation', 'organization_name', 'org', 'account', 'account_name', 'employer', 'business', 'firma', 'unternehmen', 'societe', 'entreprise', 'empresa',
  'cong_ty', 'ten_cong_ty', 'to_chuc', 'don_vi', 'doanh_nghiep', 'ten_doanh_nghiep',
]);
add('title', ['title', 'job_title', 'jobtitle', 'position', 'role', 'job', 'designation', 'chuc_vu', 'chuc_danh', 'vi_tri']);
add('pronunciation', ['pronunciation', 'phonetic', 'phonetic_name', 'pronounce', 'say_as', 'how_to_say', 'phat_am', 'cach_doc', 'cach_phat_am']);

/** The field a header means, or null when it is a custom column (kept as a variable). */
export function fieldForHeader(header: string): ContactField | null {
  return SYNONYMS[variableName(header)] ?? null;
}

/** The variable key of a custom column: variableName, prefixed so it starts with a letter; column_N when nothing is left. */
export function variableForHeader(header: string, index: number): string {
  const v = variableName(header).slice(0, 64);
  if (!v) return `column_${index + 1}`;
  return /^[a-z]/.test(v) ? v : `col_${v}`.slice(0, 64);
}

/** Headers that mean the whole name ("Name", "Họ và tên"): split into first/last when those columns are absent. */
const FULL_NAME = new Set(['name', 'full_name', 'fullname', 'display_name', 'contact_name', 'ho_va_ten', 'ho_ten', 'ho_ten_day_du', 'ten_day_du', 'ten_khach_hang', 'ten_kh', 'khach_hang', 'nguoi_lien_he', 'ten_nguoi_lien_he']);
export const isFullNameHeader = (header: string) => FULL_NAME.has(variableName(header));

/** Common Vietnamese family names: a full name starting with one is in Vietnamese order (family … given). */
const VI_FAMILY = new Set(
  ['nguyễn', 'trần', 'lê', 'phạm', 'hoàng', 'huỳnh', 'phan', 'vũ', 'võ', 'đặng', 'bùi', 'đỗ', 'hồ', 'ngô', 'dương', 'lý', 'đinh', 'trương', 'lâm', 'mai', 'trịnh', 'đoàn', 'cao', 'lưu', 'tạ', 'tô', 'hà', 'quách', 'la', 'thái', 'châu', 'vương', 'kiều', 'tăng', 'chu', 'lương', 'văn', 'đào', 'triệu', 'tôn', 'thân', 'phùng', 'nghiêm', 'từ', 'giang', 'khúc', 'mạc'].map((s) => s.normalize('NFC')),
);

/**
 * Splits a full name into first and last name. Vietnamese order ("Nguyễn Văn Minh": family first, the given
 * name last) when the name starts with a common Vietnamese family name, else Western ("Anna Smith").
 */
export function splitFullName(full: string): { first_name: string | null; last_name: string | null } {
  const words = full.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { first_name: null, last_name: null };
  if (words.length === 1) return { first_name: words[0]!, last_name: null };
  if (VI_FAMILY.has(words[0]!.toLowerCase())) return { first_name: words.at(-1)!, last_name: words.slice(0, -1).join(' ') };
  return { first_name: words[0]!, last_name: words.slice(1).join(' ') };
}
