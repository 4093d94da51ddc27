import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ApiError } from '@mvs/shared/api/api-client';
import type { Campaign, Contact, ContactList, CreateCampaignRequest, ImportReport, Template } from '@mvs/shared/api/api-types';
import { MAX_VARIANTS, VARIANT_LABELS } from '@mvs/shared/schemas/campaigns';
import { CONTACT_FIELDS } from '@mvs/shared/schemas/contacts';
import { renderTemplate } from '@mvs/shared/templates/variables';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n, type PortalKey } from '../app/i18n';
import { navigate } from '../app/router';
import { describeError, useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { parseCsvHeader, type CsvHeader } from '../components/csv-header';
import { CampaignStatus } from '../components/CampaignStatus';
import { EmptyState, ErrorBar, Loading, Notice, PageHeader, Section } from '../components/ui';
import { STANDARD_VARIABLES, USE_CASE_LABEL } from '../components/useCases';
import { insertAt, VariableChips } from '../components/VariableChips';

const useStyles = makeStyles({
  steps: { display: 'flex', gap: tokens.spacingHorizontalS, listStyle: 'none', padding: 0, margin: `0 0 ${tokens.spacingVerticalL} 0`, flexWrap: 'wrap' },
  step: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusCircular, backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}` },
  stepOn: { backgroundColor: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand, fontWeight: tokens.fontWeightSemibold },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: tokens.spacingHorizontalM },
  card: { textAlign: 'left', padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralBackground1, cursor: 'pointer', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  cardOn: { border: `2px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  muted: { color: tokens.colorNeutralForeground2 },
  pre: { whiteSpace: 'pre-wrap', margin: 0, padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium },
  nav: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'space-between', marginTop: tokens.spacingVerticalL },
  variant: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralBackground1 },
  variantHead: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM },
  split: { maxWidth: '200px' },
  danger: { color: tokens.colorPaletteRedForeground1 },
});

type Thumbnail = 'auto' | 'gif' | 'poster';
/** One version of an A/B test as the wizard edits it (A takes the campaign's script and subject). */
interface VariantDraft {
  script: string;
  subject: string;
  thumbnail: Thumbnail;
  split: string;
}
const blankVariant = (split: number): VariantDraft => ({ script: '', subject: '', thumbnail: 'auto', split: String(split) });
/** Shares of 100 spread evenly over n versions (the rest to A). */
const evenSplits = (n: number) => Array.from({ length: n }, (_, i) => Math.floor(100 / n) + (i === 0 ? 100 % n : 0));
const splitOf = (v: VariantDraft) => (/^\d+$/.test(v.split.trim()) ? Number(v.split) : NaN);
/** The split as shares of 100 from a campaign's weights (any scale). */
const sharesOf = (weights: number[]) => {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const out = weights.map((w) => Math.max(1, Math.round((100 * w) / total)));
  out[0]! += 100 - out.reduce((a, b) => a + b, 0);
  return out;
};

type Step = 1 | 2 | 3;
const STEPS: PortalKey[] = ['wizard.step.template', 'wizard.step.contacts', 'wizard.step.preview'];
const AUTO = '__auto';

const valuesOf = (c: Contact): Record<string, string | null> => ({ first_name: c.first_name, last_name: c.last_name, company: c.company, title: c.title, email: c.email, ...(c.variables as Record<string, string>) });

/**
 * New campaign: 1. a template (or your own script) with the avatar and the email; 2. contacts from a CSV with column
 * mapping and the import report (or an existing list); 3. a preview for a few contacts, then the campaign is created.
 * Rendering, review, approval and sending follow on the campaign's page.
 */
export function CampaignWizard({ params }: { params?: Record<string, string> }) {
  const s = useStyles();
  const editId = params?.id;
  const { t, locale } = useI18n();
  const { api, can } = useServices();
  const [step, setStep] = useState<Step>(1);
  const [language, setLanguage] = useState<'en' | 'vi'>(locale);
  const templates = useAsync(() => api.templates({ language }), [api, language]);
  const avatars = useAsync(() => api.avatars(), [api]);
  const lists = useAsync(() => api.lists(), [api]);
  const [template, setTemplate] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [avatarId, setAvatarId] = useState('');
  const [subject, setSubject] = useState('');
  const [script, setScript] = useState('');
  const [body, setBody] = useState('{{video}}');
  const [style, setStyle] = useState<'photo' | 'static'>('photo');
  const [variants, setVariants] = useState<VariantDraft[]>([blankVariant(100)]);
  const [list, setList] = useState<Pick<ContactList, 'id' | 'name' | 'member_count'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const scriptRef = useRef<HTMLTextAreaElement>(null);
  // Editing a draft: its values fill the wizard once, its list is the one chosen.
  const editing = useAsync<Campaign | null>(() => (editId ? api.campaign(editId) : Promise.resolve(null)), [api, editId]);
  const [filled, setFilled] = useState(false);
  useEffect(() => {
    const c = editing.data;
    if (!c || filled) return;
    setFilled(true);
    setName(c.name);
    setAvatarId(c.avatar_id);
    setSubject(c.subject);
    setScript(c.script);
    setBody(c.body);
    setLanguage(c.language === 'vi' ? 'vi' : 'en');
    setStyle(c.renderer === 'static' ? 'static' : 'photo');
    const shares = sharesOf(c.variants.map((v) => v.weight));
    setVariants(
      c.variants.length
        ? c.variants.map((v, i) => ({ script: i === 0 ? '' : v.script, subject: i === 0 || v.subject === c.subject ? '' : v.subject, thumbnail: v.thumbnail, split: String(shares[i]) }))
        : [blankVariant(100)],
    );
  }, [editing.data, filled]);
  useEffect(() => {
    const c = editing.data;
    const l = c ? lists.data?.items.find((x) => x.id === c.list_id) : undefined;
    if (l && !list) setList(l);
  }, [editing.data, lists.data, list]);

  if (!can.write) return <EmptyState title={t('campaigns.title')}>{t('campaigns.viewerOnly')}</EmptyState>;
  if (editId && editing.error) return <ErrorBar error={editing.error} onRetry={editing.reload} />;
  if (editId && !editing.data) return <Loading />;
  if (editing.data && editing.data.status !== 'draft') {
    return (
      <>
        <PageHeader title={t('wizard.editTitle')} subtitle={<AppLink to={`/campaigns/${editing.data.id}`}>{editing.data.name}</AppLink>} actions={<CampaignStatus status={editing.data.status} />} />
        <Notice>{t('wizard.onlyDrafts')}</Notice>
      </>
    );
  }

  const readyAvatars = (avatars.data?.items ?? []).filter((a) => a.ready_renderers.length);
  const avatar = avatarId || readyAvatars[0]?.id || '';
  const pick = (tpl: Template | null) => {
    setTemplate(tpl);
    if (tpl) {
      setSubject(tpl.subject);
      setScript(tpl.script);
      setBody(tpl.body);
      if (!name) setName(tpl.name);
    }
  };
  const ab = variants.length > 1;
  const splitTotal = variants.reduce((a, v) => a + splitOf(v), 0);
  const splitsOk = !ab || (variants.every((v) => splitOf(v) >= 1 && splitOf(v) <= 100) && splitTotal === 100);
  const canNext1 = name.trim() && avatar && script.trim() && subject.trim() && variants.slice(1).every((v) => v.script.trim()) && splitsOk;
  const setVariant = (i: number, patch: Partial<VariantDraft>) => setVariants((vs) => vs.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const respread = (vs: VariantDraft[]) => { const sp = evenSplits(vs.length); return vs.map((v, i) => ({ ...v, split: String(sp[i]) })); };
  const variantBody = (): NonNullable<CreateCampaignRequest['variants']> =>
    variants.map((v, i) => ({
      ...(i > 0 ? { script: v.script.trim() } : {}),
      ...(i > 0 && v.subject.trim() ? { subject: v.subject.trim() } : {}),
      thumbnail: v.thumbnail,
      weight: ab ? splitOf(v) : 1,
    }));

  const create = async () => {
    if (!list) return;
    setBusy(true);
    setError(null);
    try {
      const fields = { name: name.trim(), avatar_id: avatar, list_id: list.id, language, renderer: style, script, subject, body, variants: variantBody() };
      const c = editId ? await api.updateCampaign(editId, fields) : await api.createCampaign({ ...fields, ...(template ? { template_id: template.id } : {}) });
      navigate(`/campaigns/${c.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title={editId ? t('wizard.editTitle') : t('wizard.title')}
        subtitle={editing.data ? <AppLink to={`/campaigns/${editing.data.id}`}>{t('wizard.backTo', { name: editing.data.name })}</AppLink> : <AppLink to="/campaigns">{t('wizard.back')}</AppLink>}
      />
      <ol className={s.steps} aria-label={t('wizard.steps')}>
        {STEPS.map((k, i) => (
          <li key={k} className={`${s.step} ${step === i + 1 ? s.stepOn : ''}`} aria-current={step === i + 1 ? 'step' : undefined}>
            {i + 1}. {t(k)}
          </li>
        ))}
        <li className={s.step}>4. {t('wizard.step.render')}</li>
        <li className={s.step}>5. {t('wizard.step.review')}</li>
        <li className={s.step}>6. {t('wizard.step.send')}</li>
      </ol>
      {error ? <CreateError error={error} /> : null}

      {step === 1 ? (
        <>
          <Section id="tpl" title={t('wizard.chooseTemplate')}>
            <div className={s.col}>
              <Field label={t('templates.language')}>
                <Select value={language} onChange={(_, d) => setLanguage(d.value === 'vi' ? 'vi' : 'en')}>
                  <option value="en">English</option>
                  <option value="vi">Tiếng Việt</option>
                </Select>
              </Field>
              {templates.error ? <ErrorBar error={templates.error} onRetry={templates.reload} /> : null}
              {!templates.data ? <Loading /> : null}
              <div className={s.grid} role="radiogroup" aria-label={t('wizard.chooseTemplate')}>
                <button type="button" role="radio" aria-checked={template === null} className={`${s.card} ${template === null ? s.cardOn : ''}`} onClick={() => pick(null)}>
                  <Text weight="semibold">{t('wizard.ownScript')}</Text>
                  <Text className={s.muted}>{t('wizard.ownScriptHelp')}</Text>
                </button>
                {(templates.data?.items ?? []).map((tpl) => (
                  <button key={tpl.id} type="button" role="radio" aria-checked={template?.id === tpl.id} className={`${s.card} ${template?.id === tpl.id ? s.cardOn : ''}`} onClick={() => pick(tpl)}>
                    <Text weight="semibold">{tpl.name}</Text>
                    <span>
                      <Badge appearance="tint">{t(USE_CASE_LABEL[tpl.use_case])}</Badge>
                    </span>
                    <Text className={s.muted}>{tpl.script.slice(0, 110)}{tpl.script.length > 110 ? '…' : ''}</Text>
                  </button>
                ))}
              </div>
            </div>
          </Section>
          <Section id="texts" title={t('wizard.texts')}>
            <div className={s.col}>
              <div className={s.row}>
                <Field label={t('campaigns.name')} required>
                  <Input value={name} onChange={(_, d) => setName(d.value)} />
                </Field>
                <Field label={t('avatar.testStyle')}>
                  <Select value={style} onChange={(_, d) => setStyle(d.value === 'static' ? 'static' : 'photo')}>
                    <option value="photo">{t('avatar.style.photo')}</option>
                    <option value="static">{t('avatar.style.static')}</option>
                  </Select>
                </Field>
                <Field label={t('videos.avatar')} required hint={readyAvatars.length ? undefined : t('wizard.noAvatar')}>
                  <Select value={avatar} onChange={(_, d) => setAvatarId(d.value)}>
                    {readyAvatars.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.name}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
              <VariableChips
                names={STANDARD_VARIABLES}
                onInsert={(n) => {
                  const r = insertAt(scriptRef.current, script, `{{${n}}}`);
                  setScript(r.value);
                }}
              />
              <Field label={t('templates.subject')} required>
                <Input value={subject} onChange={(_, d) => setSubject(d.value)} />
              </Field>
              <Field label={t('templates.script')} required hint={t('templates.scriptHint')}>
                <Textarea ref={scriptRef} value={script} onChange={(_, d) => setScript(d.value)} rows={6} resize="vertical" />
              </Field>
              <Field label={t('templates.body')} hint={t('templates.bodyHint')}>
                <Textarea value={body} onChange={(_, d) => setBody(d.value)} rows={4} resize="vertical" />
              </Field>
              <Checkbox
                checked={ab}
                onChange={(_, d) => setVariants((vs) => (d.checked === true ? respread([vs[0]!, blankVariant(50)]) : [{ ...vs[0]!, split: '100' }]))}
                label={t('wizard.abToggle')}
              />
              {ab ? <Text className={s.muted}>{t('wizard.abHelp')}</Text> : null}
              <div className={s.col} role="group" aria-label={t('wizard.versions')}>
                {variants.map((v, i) => (
                  <VariantEditor
                    key={i}
                    index={i}
                    v={v}
                    ab={ab}
                    subject={subject}
                    onChange={(patch) => setVariant(i, patch)}
                    onRemove={i > 0 ? () => setVariants((vs) => respread(vs.filter((_, j) => j !== i))) : undefined}
                  />
                ))}
                {ab ? (
                  <div className={s.row}>
                    <Button disabled={variants.length >= MAX_VARIANTS} onClick={() => setVariants((vs) => respread([...vs, blankVariant(0)]))}>
                      {t('wizard.addVariant')}
                    </Button>
                    {variants.length >= MAX_VARIANTS ? <Text className={s.muted}>{t('wizard.maxVariants', { n: MAX_VARIANTS })}</Text> : null}
                    <Text role="status" aria-live="polite" className={splitsOk ? undefined : s.danger} weight="semibold">
                      {splitsOk ? t('wizard.splitTotal', { total: splitTotal }) : t('wizard.splitMustAdd', { total: Number.isNaN(splitTotal) ? '?' : splitTotal })}
                    </Text>
                  </div>
                ) : null}
              </div>
            </div>
          </Section>
          <div className={s.nav}>
            <span />
            <Button appearance="primary" disabled={!canNext1} onClick={() => setStep(2)}>
              {t('wizard.next')}
            </Button>
          </div>
        </>
      ) : null}

      {step === 2 ? (
        <>
          <ContactsStep listName={name.trim()} lists={lists.data?.items ?? []} chosen={list} startWithList={!!editId} onChosen={(l) => { setList(l); lists.reload(); }} />
          <div className={s.nav}>
            <Button onClick={() => setStep(1)}>{t('wizard.backStep')}</Button>
            <Button appearance="primary" disabled={!list || !list.member_count} onClick={() => setStep(3)}>
              {t('wizard.next')}
            </Button>
          </div>
        </>
      ) : null}

      {step === 3 && list ? (
        <>
          <PreviewStep listId={list.id} script={script} subject={subject} others={ab ? variants.slice(1).map((v, i) => ({ label: VARIANT_LABELS[i + 1]!, script: v.script })) : []} />
          <div className={s.nav}>
            <Button onClick={() => setStep(2)}>{t('wizard.backStep')}</Button>
            <Button appearance="primary" disabled={busy} onClick={() => void create()}>
              {editId ? t('wizard.save', { n: list.member_count }) : t('wizard.create', { n: list.member_count })}
            </Button>
          </div>
        </>
      ) : null}
    </>
  );
}

/** A 422 missing_variables names the contacts; everything else in words. */
function CreateError({ error }: { error: unknown }) {
  const { t, locale } = useI18n();
  if (error instanceof ApiError && error.code === 'missing_variables') {
    const d = error.details as { contacts?: { email: string; missing: string[] }[]; affected?: number } | undefined;
    return (
      <ErrorBar
        error={new Error(`${t('wizard.missingVars')} ${(d?.contacts ?? []).slice(0, 5).map((c) => `${c.email} (${c.missing.map((m) => `{{${m}}}`).join(', ')})`).join('; ')}`)}
      />
    );
  }
  return <ErrorBar error={new Error(describeError(error, t, locale))} />;
}

const FIELD_LABEL: Record<string, PortalKey> = {
  email: 'wizard.field.email',
  first_name: 'wizard.field.first_name',
  last_name: 'wizard.field.last_name',
  company: 'wizard.field.company',
  title: 'wizard.field.title',
  pronunciation: 'wizard.field.pronunciation',
};

function ContactsStep({ listName, lists, chosen, startWithList, onChosen }: { listName: string; lists: ContactList[]; chosen: Pick<ContactList, 'id' | 'name' | 'member_count'> | null; startWithList?: boolean; onChosen(l: Pick<ContactList, 'id' | 'name' | 'member_count'>): void }) {
  const s = useStyles();
  const { t, f } = useI18n();
  const { api } = useServices();
  const [mode, setMode] = useState<'csv' | 'list'>(startWithList ? 'list' : 'csv');
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<CsvHeader | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const choose = async (fl: File) => {
    setFile(fl);
    setReport(null);
    setError(null);
    setHeader(parseCsvHeader(new Uint8Array(await fl.slice(0, 64 * 1024).arrayBuffer())));
    setMapping({});
  };
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const explicit = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v !== AUTO));
      const r = await api.importContacts(file, { list_name: listName || file.name.replace(/\.[^.]+$/, ''), mapping: explicit, name: file.name });
      setReport(r);
      if (r.list_id) onChosen({ id: r.list_id, name: r.list_name ?? listName, member_count: r.added_to_list + r.unchanged });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="contacts" title={t('wizard.step.contacts')}>
      <div className={s.col}>
        <RadioGroup value={mode} onChange={(_, d) => setMode(d.value === 'list' ? 'list' : 'csv')} layout="horizontal" aria-label={t('wizard.contactsFrom')}>
          <Radio value="csv" label={t('wizard.fromCsv')} />
          <Radio value="list" label={t('wizard.fromList')} disabled={!lists.length} />
        </RadioGroup>
        {mode === 'list' ? (
          <Field label={t('wizard.list')}>
            <Select value={chosen?.id ?? ''} onChange={(_, d) => { const l = lists.find((x) => x.id === d.value); if (l) onChosen(l); }}>
              <option value="" disabled>
                {t('wizard.pickList')}
              </option>
              {lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {t('wizard.listOption', { name: l.name, n: f.number(l.member_count) })}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <>
            <Text>{t('wizard.csvHelp')}</Text>
            <div className={s.row}>
              <input ref={input} type="file" accept=".csv,.txt,text/csv" className="visually-hidden" tabIndex={-1} aria-label={t('wizard.chooseCsv')} onChange={(e) => { const fl = e.target.files?.[0]; e.target.value = ''; if (fl) void choose(fl); }} />
              <Button onClick={() => input.current?.click()}>{file ? t('wizard.otherCsv') : t('wizard.chooseCsv')}</Button>
              {file ? <Text>{file.name}</Text> : null}
            </div>
            {header ? (
              <>
                <Table aria-label={t('wizard.mapping')}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{t('wizard.column')}</TableHeaderCell>
                      <TableHeaderCell>{t('wizard.example')}</TableHeaderCell>
                      <TableHeaderCell>{t('wizard.becomes')}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {header.headers.map((h, i) => (
                      <TableRow key={`${h}-${i}`}>
                        <TableCell>{h}</TableCell>
                        <TableCell>{header.sample[0]?.[i] ?? ''}</TableCell>
                        <TableCell>
                          <Select aria-label={t('wizard.mapOf', { column: h })} value={mapping[h] ?? AUTO} onChange={(_, d) => setMapping((m) => ({ ...m, [h]: d.value }))}>
                            <option value={AUTO}>{t('wizard.auto')}</option>
                            {CONTACT_FIELDS.map((fl) => (
                              <option key={fl} value={fl}>
                                {t(FIELD_LABEL[fl]!)}
                              </option>
                            ))}
                            <option value={h.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'column'}>{t('wizard.asVariable')}</option>
                            <option value="">{t('wizard.ignore')}</option>
                          </Select>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <span>
                  <Button appearance="primary" disabled={busy} onClick={() => void upload()}>
                    {busy ? t('wizard.importing') : t('wizard.import')}
                  </Button>
                </span>
              </>
            ) : null}
          </>
        )}
        {error ? <ErrorBar error={error} /> : null}
        {report ? <ImportReportView report={report} /> : null}
        {chosen ? <Notice>{t('wizard.listChosen', { name: chosen.name, n: f.number(chosen.member_count) })}</Notice> : null}
      </div>
    </Section>
  );
}

const REASON: Record<string, PortalKey> = {
  missing_email: 'import.reason.missing_email',
  bad_email: 'import.reason.bad_email',
  duplicate: 'import.reason.duplicate',
  suppressed: 'import.reason.suppressed',
  too_long: 'import.reason.too_long',
  bad_encoding: 'import.reason.bad_encoding',
  malformed_row: 'import.reason.malformed_row',
  extra_values: 'import.reason.extra_values',
};

function ImportReportView({ report }: { report: ImportReport }) {
  const s = useStyles();
  const { t, f } = useI18n();
  return (
    <div className={s.col} aria-label={t('import.title')} role="region">
      <Text weight="semibold">
        {t('import.summary', { imported: f.number(report.imported), updated: f.number(report.updated), unchanged: f.number(report.unchanged), refused: f.number(report.refused.length), rows: f.number(report.total_rows) })}
      </Text>
      <Text className={s.muted}>{t('import.columns', { list: report.columns.map((c) => `${c.header} → ${c.field ? t(FIELD_LABEL[c.field]!) : c.variable ? `{{${c.variable}}}` : t('wizard.ignore')}`).join(', ') })}</Text>
      {report.refused.length ? (
        <Table aria-label={t('import.refused')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('import.row')}</TableHeaderCell>
              <TableHeaderCell>{t('wizard.column')}</TableHeaderCell>
              <TableHeaderCell>{t('import.reason')}</TableHeaderCell>
              <TableHeaderCell>{t('import.detail')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.refused.map((r, i) => (
              <TableRow key={`${r.row}-${i}`}>
                <TableCell>{r.row}</TableCell>
                <TableCell>{r.column ?? '—'}</TableCell>
                <TableCell>{REASON[r.reason] ? t(REASON[r.reason]!) : r.reason}</TableCell>
                <TableCell>{r.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}

function PreviewStep({ listId, script, subject, others }: { listId: string; script: string; subject: string; others: { label: string; script: string }[] }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const members = useAsync(() => api.listMembers(listId, 3), [api, listId]);
  const rows = useMemo(
    () =>
      (members.data?.items ?? []).map((c) => {
        const v = valuesOf(c);
        return { c, subject: renderTemplate(subject, v), script: renderTemplate(script, v), others: others.map((o) => ({ label: o.label, text: renderTemplate(o.script, v).text })) };
      }),
    [members.data, script, subject, others],
  );
  return (
    <Section id="preview" title={t('wizard.step.preview')}>
      <div className={s.col}>
        <Text>{t('wizard.previewHelp', { n: members.data?.total ?? 0 })}</Text>
        {members.error ? <ErrorBar error={members.error} onRetry={members.reload} /> : null}
        {!members.data ? <Loading /> : null}
        {rows.map((r) => (
          <div key={r.c.id} className={s.col} role="group" aria-label={r.c.email}>
            <Text weight="semibold">
              {[r.c.first_name, r.c.last_name].filter(Boolean).join(' ') || r.c.email} · {r.c.email}
            </Text>
            <Text>
              {t('templates.subject')}: {r.subject.text}
            </Text>
            <p className={s.pre}>{r.script.text}</p>
            {r.others.map((o) => (
              <p key={o.label} className={s.pre}>
                {o.label}: {o.text}
              </p>
            ))}
            {[...r.script.missing, ...r.subject.missing].length ? <Badge color="warning" appearance="tint">{t('templates.missing', { names: [...new Set([...r.script.missing, ...r.subject.missing])].map((n) => `{{${n}}}`).join(', ') })}</Badge> : null}
          </div>
        ))}
      </div>
    </Section>
  );
}

const THUMBNAILS: { value: Thumbnail; label: PortalKey }[] = [
  { value: 'auto', label: 'wizard.thumb.auto' },
  { value: 'gif', label: 'wizard.thumb.gif' },
  { value: 'poster', label: 'wizard.thumb.poster' },
];

/** One version: its share of the list, script and subject (B–D), and the thumbnail the email shows. */
function VariantEditor({ index, v, ab, subject, onChange, onRemove }: { index: number; v: VariantDraft; ab: boolean; subject: string; onChange(patch: Partial<VariantDraft>): void; onRemove?: () => void }) {
  const s = useStyles();
  const { t } = useI18n();
  const label = VARIANT_LABELS[index]!;
  return (
    <div className={s.variant} role="group" aria-label={t('wizard.variant', { label })}>
      {ab ? (
        <div className={s.variantHead}>
          <Text weight="semibold">{t('wizard.variant', { label })}</Text>
          {onRemove ? <Button size="small" onClick={onRemove}>{t('wizard.removeVariant', { label })}</Button> : null}
        </div>
      ) : null}
      {ab && index === 0 ? <Text className={s.muted}>{t('wizard.variantA')}</Text> : null}
      {ab ? (
        <Field label={t('wizard.splitOf', { label })} required>
          <Input className={s.split} type="number" min={1} max={100} step={1} value={v.split} onChange={(_, d) => onChange({ split: d.value })} />
        </Field>
      ) : null}
      {index > 0 ? (
        <>
          <Field label={t('wizard.variantSubject', { label })} hint={t('wizard.variantSubjectHint')}>
            <Input value={v.subject} onChange={(_, d) => onChange({ subject: d.value })} placeholder={subject} />
          </Field>
          <Field label={t('wizard.variantScript', { label })} required>
            <Textarea value={v.script} onChange={(_, d) => onChange({ script: d.value })} rows={4} resize="vertical" />
          </Field>
        </>
      ) : null}
      <Field label={ab ? t('wizard.thumbnailOf', { label }) : t('wizard.thumbnail')}>
        <RadioGroup value={v.thumbnail} onChange={(_, d) => onChange({ thumbnail: d.value as Thumbnail })}>
          {THUMBNAILS.map((o) => (
            <Radio key={o.value} value={o.value} label={t(o.label)} />
          ))}
        </RadioGroup>
      </Field>
    </div>
  );
}
