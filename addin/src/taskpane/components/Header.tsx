import { Button, Select, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { LOCALES, type Locale } from '@mvs/shared/i18n/i18n';
import { useI18n } from '../services';

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  title: { flexGrow: 1, color: tokens.colorBrandForeground1 },
  select: { minWidth: '84px' },
});

const LABELS: Record<Locale, string> = { en: 'English', vi: 'Tiếng Việt' };

export function Header({ signedIn, onSignOut }: { signedIn: boolean; onSignOut(): void }) {
  const styles = useStyles();
  const { t, locale, setLocale } = useI18n();
  return (
    <header className={styles.bar}>
      <Subtitle1 as="h1" className={styles.title}>
        {t('app.title')}
      </Subtitle1>
      <Select size="small" className={styles.select} value={locale} aria-label={t('app.language')} onChange={(_, d) => setLocale(d.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LABELS[l]}
          </option>
        ))}
      </Select>
      {signedIn && (
        <Button size="small" appearance="subtle" onClick={onSignOut}>
          {t('app.signOut')}
        </Button>
      )}
    </header>
  );
}
