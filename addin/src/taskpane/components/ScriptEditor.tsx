import { Button, Caption1, Field, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { ScriptLength, SummarizeResponse, Tone } from '@mvs/shared/api/api-types';
import type { EmailInput } from '../../mail/email-input';
import { estimateSpokenSeconds } from '../../mail/speech';
import { useI18n, useServices } from '../services';
import { Section } from './Section';

export type ScriptLanguage = 'auto' | 'en' | 'vi';
export interface ScriptState {
  text: string;
  /** The language the script is in ('auto' until drafted or chosen). */
  language: ScriptLanguage;
}

const TONES: Tone[] = ['friendly', 'professional', 'enthusiastic'];
const LENGTHS: ScriptLength[] = [20, 40, 60];
const LANGUAGES: ScriptLanguage[] = ['auto', 'en', 'vi'];

const useStyles = makeStyles({
  options: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalS },
  wide: { gridColumn: '1 / span 2' },
  estimate: { color: tokens.colorNeutralForeground3 },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

/** Tone / length / language, "Draft script", and the editable script with its spoken-length estimate. */
export function ScriptEditor(props: {
  input: EmailInput;
  summary: SummarizeResponse | null;
  script: ScriptState;
  onScript(s: ScriptState): void;
  fail(e: unknown): string;
}) {
  const styles = useStyles();
  const { api } = useServices();
  const { t } = useI18n();
  const [tone, setTone] = useState<Tone>('friendly');
  const [length, setLength] = useState<ScriptLength>(40);
  const [language, setLanguage] = useState<ScriptLanguage>('auto');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { input, script } = props;
  const seconds = estimateSpokenSeconds(script.text, script.language);

  const draft = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.draftScript({
        subject: input.subject,
        body: input.body,
        from: input.from,
        to: input.to,
        ...(props.summary ? { summary: props.summary.summary } : {}),
        tone,
        length_sec: length,
        language,
        ...(input.senderName ? { sender_name: input.senderName } : {}),
      });
      props.onScript({ text: r.script, language: r.language });
    } catch (e) {
      setError(props.fail(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('script.title')}>
      <div className={styles.options}>
        <Field label={t('script.tone')}>
          <Select value={tone} onChange={(_, d) => setTone(d.value as Tone)}>
            {TONES.map((v) => (
              <option key={v} value={v}>
                {t(`script.tone.${v}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('script.language')}>
          <Select value={language} onChange={(_, d) => setLanguage(d.value as ScriptLanguage)}>
            {LANGUAGES.map((v) => (
              <option key={v} value={v}>
                {t(`script.language.${v}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('script.length')} className={styles.wide}>
          <RadioGroup layout="horizontal" value={String(length)} onChange={(_, d) => setLength(Number(d.value) as ScriptLength)}>
            {LENGTHS.map((n) => (
              <Radio key={n} value={String(n)} label={t('script.seconds', { n })} />
            ))}
          </RadioGroup>
        </Field>
      </div>
      <Button appearance={script.text ? 'secondary' : 'primary'} onClick={draft} disabled={busy || !input.body}>
        {busy ? t('script.busy') : t('script.draft')}
      </Button>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={t('script.title')} hint={seconds > 0 ? t('script.estimate', { n: seconds }) : undefined}>
        <Textarea
          resize="vertical"
          rows={7}
          value={script.text}
          placeholder={t('script.placeholder')}
          onChange={(_, d) => props.onScript({ text: d.value, language: script.language === 'auto' ? language : script.language })}
        />
      </Field>
      {seconds > 60 && <Caption1 className={styles.warn}>{t('script.tooLong')}</Caption1>}
    </Section>
  );
}
