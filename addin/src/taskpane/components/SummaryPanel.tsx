import { Body1, Button, Caption1, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { SummarizeResponse } from '@mvs/shared/api/api-types';
import type { EmailInput } from '../../mail/email-input';
import { useI18n, useServices } from '../services';
import { Section } from './Section';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** "Summarize": the email's gist and what it asks for (LLM or the offline summarizer). */
export function SummaryPanel(props: { input: EmailInput; summary: SummarizeResponse | null; onSummary(s: SummarizeResponse): void; fail(e: unknown): string }) {
  const styles = useStyles();
  const { api } = useServices();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { input, summary } = props;

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onSummary(await api.summarize({ subject: input.subject, body: input.body, from: input.from, to: input.to, language: 'auto' }));
    } catch (e) {
      setError(props.fail(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('summary.title')}>
      {summary && (
        <>
          <Body1>{summary.summary}</Body1>
          {summary.asks.length > 0 && (
            <>
              <Caption1 className={styles.muted}>{t('summary.asks')}</Caption1>
              <ul className={styles.list}>
                {summary.asks.map((a) => (
                  <li key={a}>
                    <Body1>{a}</Body1>
                  </li>
                ))}
              </ul>
            </>
          )}
          {summary.engine === 'offline' && <Caption1 className={styles.muted}>{t('summary.offline')}</Caption1>}
        </>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Button appearance={summary ? 'secondary' : 'primary'} onClick={run} disabled={busy}>
        {busy ? t('summary.busy') : t('summary.run')}
      </Button>
    </Section>
  );
}
