import type { AuditRepository } from '../audit/audit.repository';
import { AppError, notFound } from '../errors';
import type { Principal } from '../http/env';
import type { SpeechService } from '../providers/speech.service';
import type { PronunciationRow, PronunciationsRepository } from './pronunciations.repository';

type Language = 'en' | 'vi' | null;

const taken = (word: string, language: Language) =>
  new AppError(409, 'conflict', `"${word}" already has a pronunciation${language ? ` for ${language}` : ' for all languages'}; change that entry instead`);

/** The tenant's pronunciation lexicon (word → how the TTS engine should say it). */
export class PronunciationsService {
  constructor(
    private readonly repo: PronunciationsRepository,
    private readonly speech: Pick<SpeechService, 'spokenText'>,
    private readonly audit: AuditRepository,
  ) {}

  list(p: Principal, language?: 'en' | 'vi') {
    return this.repo.list(p.tenantId, language);
  }

  async get(p: Principal, id: string): Promise<PronunciationRow> {
    const row = await this.repo.get(p.tenantId, id);
    if (!row) throw notFound('Pronunciation', id);
    return row;
  }

  async create(p: Principal, input: { word: string; say_as: string; language?: Language }): Promise<PronunciationRow> {
    const language = input.language ?? null;
    const row = await this.repo.insert(p.tenantId, { word: input.word, say_as: input.say_as, language, created_by: p.userId });
    if (!row) throw taken(input.word, language);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'pronunciation.create', targetType: 'pronunciation', targetId: row.id, details: { word: row.word } });
    return row;
  }

  async update(p: Principal, id: string, patch: { word?: string; say_as?: string; language?: Language }): Promise<PronunciationRow> {
    const current = await this.get(p, id);
    try {
      const row = await this.repo.update(p.tenantId, id, patch);
      if (!row) throw notFound('Pronunciation', id);
      return row;
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw taken(patch.word ?? current.word, patch.language === undefined ? current.language : patch.language);
      throw e;
    }
  }

  async remove(p: Principal, id: string): Promise<void> {
    if (!(await this.repo.remove(p.tenantId, id))) throw notFound('Pronunciation', id);
    await this.audit.record({ tenantId: p.tenantId, userId: p.userId, action: 'pronunciation.delete', targetType: 'pronunciation', targetId: id });
  }

  /** What the TTS engine would be given for `text` (the lexicon plus optional per-video entries). */
  async spoken(p: Principal, input: { text: string; language: 'en' | 'vi'; pronunciations?: Record<string, string> }) {
    const r = await this.speech.spokenText(p.tenantId, input.text, input.language, input.pronunciations);
    return { text: input.text, spoken: r.text, replaced: r.replaced };
  }
}
