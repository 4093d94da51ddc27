import { Select } from '@fluentui/react-components';
import { useId } from 'react';
import { useI18n } from '../app/i18n';

/** English / Tiếng Việt, remembered in this browser. */
export function LanguagePicker() {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {t('app.language')}
      </label>
      <Select id={id} size="small" value={locale} onChange={(_, d) => setLocale(d.value === 'vi' ? 'vi' : 'en')}>
        <option value="en">English</option>
        <option value="vi">Tiếng Việt</option>
      </Select>
    </>
  );
}
