import type { Generated } from 'kysely';
import type { CreatedAt, JsonDefault, Timestamp } from './core';

/** One person a tenant can email; unique per tenant by email (lower-cased, NFC). */
export interface ContactsTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  /** How to say the contact's name (see contactPronunciations). */
  pronunciation: string | null;
  /** Custom columns of the imported file, keyed by variableName(header). */
  variables: JsonDefault<Record<string, string>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ContactListsTable {
  id: Generated<string>;
  tenant_id: string;
  /** Unique per tenant, case-insensitively. */
  name: string;
  description: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ContactListMembersTable {
  tenant_id: string;
  list_id: string;
  contact_id: string;
  added_at: CreatedAt;
}

export type TemplateUseCase = 'sales' | 'customer_success' | 'hr' | 'real_estate' | 'custom';

/** A video template: the tenant's own, or a built-in of the library (read-only, seeded per tenant). */
export interface TemplatesTable {
  id: Generated<string>;
  tenant_id: string;
  use_case: TemplateUseCase;
  name: string;
  description: string | null;
  language: 'en' | 'vi';
  script: string;
  subject: string;
  body: string;
  poster_caption: string | null;
  builtin: Generated<boolean>;
  builtin_key: string | null;
  builtin_version: number | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The tenant's pronunciation lexicon: how the TTS engine should say a word. */
export interface PronunciationsTable {
  id: Generated<string>;
  tenant_id: string;
  word: string;
  say_as: string;
  /** null: every language. */
  language: 'en' | 'vi' | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// Tables owned by the contacts feature (contacts, lists, templates, pronunciations).
export interface ContactsTables {
  contacts: ContactsTable;
  contact_lists: ContactListsTable;
  contact_list_members: ContactListMembersTable;
  templates: TemplatesTable;
  pronunciations: PronunciationsTable;
}
