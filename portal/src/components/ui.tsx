import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useI18n } from '../app/i18n';
import { describeError } from '../app/services';

const useStyles = makeStyles({
  header: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', marginBottom: tokens.spacingVerticalL },
  title: { margin: 0, fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  sub: { color: tokens.colorNeutralForeground2, marginTop: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  emptyTitle: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  center: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
  },
  sectionTitle: { margin: `0 0 ${tokens.spacingVerticalM} 0`, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

/** The page's h1, a line of context and its main actions. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.header}>
      <div>
        <h1 className={s.title}>{title}</h1>
        {subtitle ? <Text as="p" className={s.sub} block>{subtitle}</Text> : null}
      </div>
      {actions ? <div className={s.actions}>{actions}</div> : null}
    </div>
  );
}

/** A titled card-like region (a landmark for screen readers, named by its heading). */
export function Section({ id, title, actions, children }: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  const s = useStyles();
  return (
    <section className={s.section} aria-labelledby={id}>
      <div className={s.header} style={{ marginBottom: tokens.spacingVerticalS }}>
        <h2 id={id} className={s.sectionTitle}>
          {title}
        </h2>
        {actions ? <div className={s.actions}>{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

/** What a page shows when it has nothing yet: what this is for and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.empty} role="note">
      <h2 className={s.emptyTitle}>{title}</h2>
      <Text>{children}</Text>
      {action}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const s = useStyles();
  const { t } = useI18n();
  return (
    <div className={s.center}>
      <Spinner label={label ?? t('common.loading')} />
    </div>
  );
}

/** A failure in words, with a retry when the caller can retry. */
export function ErrorBar({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t, locale } = useI18n();
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {describeError(error, t, locale)}
      </MessageBarBody>
      {onRetry ? (
        <Button appearance="transparent" size="small" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </MessageBar>
  );
}

/** A short success or info line after an action. */
export function Notice({ intent = 'success', children }: { intent?: 'success' | 'info' | 'warning'; children: ReactNode }) {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}
