import { Badge, Button, Field, Input, Select, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { Contact, Template, TemplateUseCase } from '@mvs/shared/api/api-types';
import { renderTemplate, templateVariables } from '@mvs/shared/templates/variables';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../app/i18n';
import { navigateAfterDialog, navigate } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { ConfirmButton } from '../components/Confirm';
import { ErrorBar, Loading, Notice, PageHeader, Section } from '../components/ui';
import { STANDARD_VARIABLES, USE_CASE_LABEL, USE_CASES } from '../components/useCases';
import { insertAt, VariableChips } from '../components/VariableChips';

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(280px, 2fr)', gap: tokens.spacingHorizontalXL, alignItems: 'start' },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  preview: { whiteSpace: 'pre-wrap', margin: 0, padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium },
  label: { display: 'block', fontWeight: tokens.fontWeightSemibold, marginTop: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
});

type Fields = Pick<Template, 'name' | 'use_case' | 'language' | 'subject' | 'script' | 'body'> & { poster_caption: string };
type TextField = 'subject' | 'script' | 'body' | 'poster_caption';

/** A sample contact for the preview when the workspace has no contacts yet. */
const SAMPLE = { en: { first_name: 'Minh', last_name: 'Nguyen', company: 'Sao Mai Logistics', title: 'Operations Director', email: 'minh.nguyen@saomai.example' }, vi: { first_name: 'Minh', last_name: 'Nguyễn', company: 'Sao Mai', title: 'Giám đốc vận hành', email: 'minh.nguyen@saomai.example.vn' } };

const valuesOf = (c: Contact): Record<string, string | null> => ({
  first_name: c.first_name,
  last_name: c.last_name,
  company: c.company,
  title: c.title,
  email: c.email,
  ...(c.variables as Record<string, string>),
});

/** One template: read-only for the library (duplicate to edit), else edited with variable chips and a live preview for a sample contact. */
export function TemplateDetail({ params }: { params: Record<string, string> }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api, can } = useServices();
  const id = params.id!;
  const tpl = useAsync(() => api.template(id), [api, id]);
  const lists = useAsync(() => api.lists(), [api]);
  const [listId, setListId] = useState('');
  const members = useAsync(() => (listId ? api.listMembers(listId, 10) : Promise.resolve(null)), [api, listId]);
  const [contactId, setContactId] = useState('');
  const [f, setF] = useState<Fields | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const refs = { subject: useRef<HTMLInputElement>(null), script: useRef<HTMLTextAreaElement>(null), body: useRef<HTMLTextAreaElement>(null), poster_caption: useRef<HTMLInputElement>(null) };
  const [focused, setFocused] = useState<TextField>('script');

  useEffect(() => {
    if (tpl.data) setF({ ...tpl.data, poster_caption: tpl.data.poster_caption ?? '' });
  }, [tpl.data]);
  useEffect(() => {
    const first = lists.data?.items.find((l) => l.member_count > 0);
    if (first && !listId) setListId(first.id);
  }, [lists.data, listId]);

  const contacts = members.data?.items ?? [];
  const contact = contacts.find((c) => c.id === contactId) ?? contacts[0];
  const values = contact ? valuesOf(contact) : SAMPLE[f?.language ?? 'en'];
  const preview = useMemo(() => {
    if (!f) return null;
    const r = (x: string) => renderTemplate(x, values);
    // {{video}} in the body marks where the video goes; it is not a contact variable.
    const parts = { subject: r(f.subject), script: r(f.script), body: renderTemplate(f.body, { ...values, video: t('templates.videoHere') }), poster_caption: r(f.poster_caption) };
    return { parts, missing: [...new Set(Object.values(parts).flatMap((p) => p.missing))] };
  }, [f, values, t]);
  const custom = useMemo(() => [...new Set(contacts.flatMap((c) => Object.keys(c.variables ?? {})))], [contacts]);
  const used = useMemo(() => (f ? [...new Set([f.subject, f.script, f.body, f.poster_caption].flatMap((x) => templateVariables(x).map((v) => v.name)).filter((n) => n !== 'video'))] : []), [f]);

  if (tpl.error) return <ErrorBar error={tpl.error} onRetry={tpl.reload} />;
  if (!tpl.data || !f) return <Loading />;
  const ro = tpl.data.builtin || !can.write;
  const set = (k: keyof Fields, v: string) => {
    setSaved(false);
    setF({ ...f, [k]: v });
  };
  const insert = (name: string) => {
    const el = refs[focused].current;
    const { value, caret } = insertAt(el, f[focused], `{{${name}}}`);
    set(focused, value);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  };
  const save = async () => {
    setError(null);
    try {
      const next = await api.updateTemplate(id, { name: f.name, use_case: f.use_case, language: f.language, subject: f.subject, script: f.script, body: f.body, poster_caption: f.poster_caption || null });
      tpl.setData(next);
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  };
  const duplicate = async () => {
    try {
      const copy = await api.duplicateTemplate(id);
      navigate(`/templates/${copy.id}`);
    } catch (e) {
      setError(e);
    }
  };
  const textField = (k: TextField, label: string, multiline: boolean, hint?: string) => (
    <Field label={label} hint={hint}>
      {multiline ? (
        <Textarea ref={refs[k] as React.RefObject<HTMLTextAreaElement>} value={f[k]} onChange={(_, d) => set(k, d.value)} onFocus={() => setFocused(k)} readOnly={ro} resize="vertical" rows={k === 'script' ? 6 : 5} />
      ) : (
        <Input ref={refs[k] as React.RefObject<HTMLInputElement>} value={f[k]} onChange={(_, d) => set(k, d.value)} onFocus={() => setFocused(k)} readOnly={ro} />
      )}
    </Field>
  );

  return (
    <>
      <PageHeader
        title={tpl.data.name}
        subtitle={<AppLink to="/templates">{t('templates.back')}</AppLink>}
        actions={
          <>
            {can.write ? <Button onClick={() => void duplicate()}>{tpl.data.builtin ? t('templates.duplicateToEdit') : t('templates.duplicate')}</Button> : null}
            {!ro ? (
              <ConfirmButton
                label={t('templates.delete')}
                title={t('templates.deleteTitle')}
                body={t('templates.deleteBody')}
                confirm={t('templates.delete')}
                onConfirm={() => api.deleteTemplate(id).then(() => navigateAfterDialog('/templates'), setError)}
              />
            ) : null}
          </>
        }
      />
      {tpl.data.builtin ? <Notice intent="info">{t('templates.builtinNote')}</Notice> : null}
      {saved ? <Notice>{t('settings.saved')}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <div className={s.layout}>
        <Section id="edit" title={t('templates.edit')}>
          <div className={s.col}>
            <div className={s.row}>
              <Field label={t('templates.name')}>
                <Input value={f.name} onChange={(_, d) => set('name', d.value)} readOnly={ro} />
              </Field>
              <Field label={t('templates.useCase')}>
                <Select value={f.use_case} onChange={(_, d) => set('use_case', d.value as TemplateUseCase)} disabled={ro}>
                  {USE_CASES.map((uc) => (
                    <option key={uc} value={uc}>
                      {t(USE_CASE_LABEL[uc])}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t('templates.language')}>
                <Select value={f.language} onChange={(_, d) => set('language', d.value === 'vi' ? 'vi' : 'en')} disabled={ro}>
                  <option value="en">English</option>
                  <option value="vi">Tiếng Việt</option>
                </Select>
              </Field>
            </div>
            {!ro ? <VariableChips names={[...STANDARD_VARIABLES, ...custom]} onInsert={insert} /> : null}
            {textField('subject', t('templates.subject'), false)}
            {textField('script', t('templates.script'), true, t('templates.scriptHint'))}
            {textField('body', t('templates.body'), true, t('templates.bodyHint'))}
            {textField('poster_caption', t('templates.caption'), false)}
            <Text className={s.muted}>{used.length ? t('templates.uses', { names: used.map((n) => `{{${n}}}`).join(', ') }) : t('templates.usesNone')}</Text>
            {!ro ? (
              <span>
                <Button appearance="primary" onClick={() => void save()}>
                  {t('common.save')}
                </Button>
              </span>
            ) : null}
          </div>
        </Section>
        <Section id="preview" title={t('templates.preview')}>
          <div className={s.col}>
            <Field label={t('templates.sampleList')}>
              <Select value={listId} onChange={(_, d) => { setListId(d.value); setContactId(''); }}>
                <option value="">{t('templates.sampleBuiltin')}</option>
                {(lists.data?.items ?? []).map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </Select>
            </Field>
            {contacts.length ? (
              <Field label={t('templates.sampleContact')}>
                <Select value={contact?.id ?? ''} onChange={(_, d) => setContactId(d.value)}>
                  {contacts.map((c) => (
                    <option key={c.id} value={c.id}>
                      {[c.first_name, c.last_name].filter(Boolean).join(' ') || c.email}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : (
              <Text className={s.muted}>{t('templates.sampleNote', { name: `${values.first_name} ${values.last_name}` })}</Text>
            )}
            {preview ? (
              <div aria-live="polite">
                {preview.missing.length ? <Badge color="warning" appearance="tint">{t('templates.missing', { names: preview.missing.map((n) => `{{${n}}}`).join(', ') })}</Badge> : null}
                <span className={s.label}>{t('templates.subject')}</span>
                <p className={s.preview}>{preview.parts.subject.text}</p>
                <span className={s.label}>{t('templates.script')}</span>
                <p className={s.preview} data-testid="preview-script">
                  {preview.parts.script.text}
                </p>
                <span className={s.label}>{t('templates.body')}</span>
                <p className={s.preview}>{preview.parts.body.text}</p>
                {f.poster_caption ? (
                  <>
                    <span className={s.label}>{t('templates.caption')}</span>
                    <p className={s.preview}>{preview.parts.poster_caption.text}</p>
                  </>
                ) : null}
              </div>
            ) : null}
          </div>
        </Section>
      </div>
    </>
  );
}
