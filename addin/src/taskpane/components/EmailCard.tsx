import { Body1, Button, Caption1, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { EmailInput } from '../../mail/email-input';
import type { MailItem, Person } from '../../office/mailbox';
import { useI18n } from '../services';
import { Section } from './Section';

const useStyles = makeStyles({
  meta: { display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  label: { color: tokens.colorNeutralForeground3 },
  preview: {
    color: tokens.colorNeutralForeground2,
    whiteSpace: 'pre-wrap',
    maxHeight: '7.5em',
    overflowY: 'auto',
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
    paddingLeft: tokens.spacingHorizontalS,
  },
  row: { display: 'flex', justifyContent: 'flex-end' },
});

const who = (p: Person | undefined) => (p ? (p.name ? `${p.name} <${p.email}>` : p.email) : '—');

/** What the pane read from the open item: subject, who it is from/to, and the text it will answer. */
export function EmailCard(props: { item: MailItem | null | undefined; input: EmailInput | null; error: string | null; onReload(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { item, input, error } = props;
  return (
    <Section title={t('email.title')}>
      {item === undefined && <Spinner size="tiny" label={t('app.loading')} />}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {item === null && !error && <Body1>{t('email.none')}</Body1>}
      {item && input && (
        <>
          <Text weight="semibold">{input.subject || t('email.noSubject')}</Text>
          <div className={styles.meta}>
            <Caption1 className={styles.label}>{t('email.from')}</Caption1>
            <Caption1>{who(input.from)}</Caption1>
            <Caption1 className={styles.label}>{t('email.to')}</Caption1>
            <Caption1>{input.to.map(who).join(', ') || '—'}</Caption1>
          </div>
          <Body1 className={styles.preview} aria-label={t('email.title')}>
            {input.body || t('email.empty')}
          </Body1>
        </>
      )}
      <div className={styles.row}>
        <Button size="small" appearance="subtle" onClick={props.onReload}>
          {t('email.reload')}
        </Button>
      </div>
    </Section>
  );
}
