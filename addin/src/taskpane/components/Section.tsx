import { Card, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM },
});

/** One step of the flow, as a card with a heading. */
export function Section({ title, children, label }: { title: string; children: ReactNode; label?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.card} role="region" aria-label={label ?? title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {children}
    </Card>
  );
}
