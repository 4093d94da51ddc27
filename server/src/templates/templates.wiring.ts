import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { ContactsRepository } from '../contacts/contacts.repository';
import type { DB } from '../db/types';
import type { SpeechService } from '../providers/speech.service';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Builds the templates repository and service (the library is seeded by `templates.ensureAll()` at start). */
export function createTemplates(deps: { db: Kysely<DB>; contacts: ContactsRepository; speech: SpeechService; audit: AuditRepository }) {
  const templatesRepo = new TemplatesRepository(deps.db);
  return { templatesRepo, templates: new TemplatesService(templatesRepo, deps.contacts, deps.speech, deps.audit) };
}
export type Templates = ReturnType<typeof createTemplates>;
