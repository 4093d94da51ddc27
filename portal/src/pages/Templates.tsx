import { Badge, Button, Select, Text, makeStyles, tokens, Field } from '@fluentui/react-components';
import type { Template, TemplateUseCase } from '@mvs/shared/api/api-types';
import { useState } from 'react';
import { useI18n } from '../app/i18n';
import { navigate, useLocation } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { EmptyState, ErrorBar, Loading, PageHeader } from '../components/ui';
import { USE_CASE_LABEL, USE_CASES } from '../components/useCases';

const useStyles = makeStyles({
  filters: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end', marginBottom: tokens.spacingVerticalL },
  group: { marginBottom: tokens.spacingVerticalXL },
  groupTitle: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: `0 0 ${tokens.spacingVerticalM} 0` },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: tokens.spacingHorizontalL, listStyle: 'none', margin: 0, padding: 0 },
  card: { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusLarge, padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  script: { color: tokens.colorNeutralForeground2, display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' },
});

/** The template library by use case and language, plus the workspace's own templates. */
export function Templates() {
  const s = useStyles();
  const { t } = useI18n();
  const { api, can } = useServices();
  const { search } = useLocation();
  const useCase = (search.get('use_case') ?? '') as TemplateUseCase | '';
  const language = (search.get('language') ?? '') as 'en' | 'vi' | '';
  const list = useAsync(() => api.templates({ use_case: useCase || undefined, language: language || undefined }), [api, useCase, language]);
  const [error, setError] = useState<unknown>(null);
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(search);
    if (v) next.set(k, v);
    else next.delete(k);
    const q = next.toString();
    navigate(`/templates${q ? `?${q}` : ''}`, { replace: true });
  };
  const create = async () => {
    try {
      const tpl = await api.createTemplate({ name: t('templates.newName'), use_case: useCase || 'custom', language: language || 'en', script: t('templates.newScript'), subject: t('templates.newSubject'), body: '{{video}}' });
      navigate(`/templates/${tpl.id}`);
    } catch (e) {
      setError(e);
    }
  };
  const items = list.data?.items ?? [];
  const groups = USE_CASES.map((uc) => ({ uc, items: items.filter((x) => x.use_case === uc) })).filter((g) => g.items.length);
  return (
    <>
      <PageHeader title={t('templates.title')} subtitle={t('templates.subtitle')} actions={can.write ? <Button appearance="primary" onClick={() => void create()}>{t('templates.new')}</Button> : undefined} />
      <div className={s.filters}>
        <Field label={t('templates.useCase')}>
          <Select value={useCase} onChange={(_, d) => setFilter('use_case', d.value)}>
            <option value="">{t('templates.anyUseCase')}</option>
            {USE_CASES.map((uc) => (
              <option key={uc} value={uc}>
                {t(USE_CASE_LABEL[uc])}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('templates.language')}>
          <Select value={language} onChange={(_, d) => setFilter('language', d.value)}>
            <option value="">{t('templates.anyLanguage')}</option>
            <option value="en">English</option>
            <option value="vi">Tiếng Việt</option>
          </Select>
        </Field>
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {list.error ? <ErrorBar error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? <EmptyState title={t('templates.emptyTitle')}>{t('templates.emptyBody')}</EmptyState> : null}
      {groups.map((g) => (
        <section key={g.uc} className={s.group} aria-labelledby={`uc-${g.uc}`}>
          <h2 id={`uc-${g.uc}`} className={s.groupTitle}>
            {t(USE_CASE_LABEL[g.uc])}
          </h2>
          <ul className={s.grid}>
            {g.items.map((tpl) => (
              <TemplateCard key={tpl.id} tpl={tpl} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function TemplateCard({ tpl }: { tpl: Template }) {
  const s = useStyles();
  const { t } = useI18n();
  return (
    <li className={s.card}>
      <AppLink to={`/templates/${tpl.id}`} className={s.name}>
        {tpl.name}
      </AppLink>
      <span className={s.badges}>
        <Badge appearance="tint">{tpl.language === 'vi' ? 'Tiếng Việt' : 'English'}</Badge>
        <Badge appearance="tint" color={tpl.builtin ? 'informative' : 'success'}>
          {tpl.builtin ? t('templates.builtin') : t('templates.own')}
        </Badge>
        {tpl.parts.reusable ? <Badge appearance="outline">{t('templates.fast')}</Badge> : null}
      </span>
      <Text className={s.script}>{tpl.script}</Text>
    </li>
  );
}
