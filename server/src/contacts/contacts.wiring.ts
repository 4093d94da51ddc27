import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AuditRepository } from '../audit/audit.repository';
import type { DB } from '../db/types';
import type { Logger } from '../logger';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { ContactImportService } from './import/import.service';
import { PronunciationsRepository } from './pronunciations.repository';
import { PronunciationsService } from './pronunciations.service';
import type { SpeechService } from '../providers/speech.service';

/** Builds contacts, lists, the CSV import and the pronunciation lexicon (keeps container.ts small). */
export function createContacts(deps: { db: Kysely<DB>; audit: AuditRepository; logger: Logger; dataDir: string; speech: SpeechService }) {
  const contactsRepo = new ContactsRepository(deps.db);
  const pronunciationsRepo = new PronunciationsRepository(deps.db);
  // Uploads are spooled next to the data (the same disk the operator sized), not into a small /tmp.
  const tmp = path.join(deps.dataDir, 'tmp');
  return {
    contactsRepo,
    pronunciationsRepo,
    contacts: new ContactsService(contactsRepo, deps.audit),
    pronunciations: new PronunciationsService(pronunciationsRepo, deps.speech, deps.audit),
    contactImport: new ContactImportService(contactsRepo, deps.audit, deps.logger.child({ module: 'contacts-import' }), tmp),
  };
}
export type Contacts = ReturnType<typeof createContacts>;
