import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../app/i18n';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  label: { color: tokens.colorNeutralForeground2, marginRight: tokens.spacingHorizontalXS },
});

/** Buttons that insert `{{variable}}` where the cursor was in the last text field used. */
export function VariableChips({ names, onInsert, disabled }: { names: readonly string[]; onInsert(name: string): void; disabled?: boolean }) {
  const s = useStyles();
  const { t } = useI18n();
  return (
    <div className={s.row} role="group" aria-label={t('templates.variables')}>
      <Text className={s.label}>{t('templates.insert')}</Text>
      {names.map((n) => (
        <Button key={n} size="small" shape="circular" appearance="outline" disabled={disabled} onClick={() => onInsert(n)} aria-label={t('templates.insertVar', { name: n })}>
          {`{{${n}}}`}
        </Button>
      ))}
    </div>
  );
}

/** Inserts text into a textarea/input value at its selection; returns the new value and caret. */
export function insertAt(el: HTMLInputElement | HTMLTextAreaElement | null, value: string, text: string): { value: string; caret: number } {
  const start = el?.selectionStart ?? value.length;
  const end = el?.selectionEnd ?? value.length;
  return { value: value.slice(0, start) + text + value.slice(end), caret: start + text.length };
}
