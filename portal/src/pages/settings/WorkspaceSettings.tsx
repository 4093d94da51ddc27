import { Button, Field, Input, Switch, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TenantSettings, UpdateSettingsRequest } from '@mvs/shared/api/api-types';
import { LOGO_LIMITS } from '@mvs/shared/schemas/settings';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { useAsync, useServices } from '../../app/services';
import { ErrorBar, Loading, Notice, Section } from '../../components/ui';

const useStyles = makeStyles({
  top: { marginTop: tokens.spacingVerticalL },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '560px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  swatch: { width: '40px', height: '32px', padding: 0, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium, cursor: 'pointer' },
  logo: { maxWidth: '200px', maxHeight: '80px', display: 'block', padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** The workspace settings, loaded once per tab, with a save that reports what happened. */
function useSettings() {
  const { api } = useServices();
  const settings = useAsync(() => api.settings(), [api]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = async (fn: () => Promise<TenantSettings>) => {
    setError(null);
    setSaved(false);
    try {
      settings.setData(await fn());
      setSaved(true);
    } catch (e) {
      setError(e);
    }
  };
  return { settings, error, saved, save, update: (patch: UpdateSettingsRequest) => save(() => api.updateSettings(patch)) };
}

export function BrandingSettings() {
  const s = useStyles();
  const { t } = useI18n();
  const { api, can } = useServices();
  const { settings, error, saved, save, update } = useSettings();
  const [name, setName] = useState('');
  const [color, setColor] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const data = settings.data;
  useEffect(() => {
    if (!data) return;
    setName(data.workspace.name);
    setColor(data.branding.primary_color ?? '');
  }, [data]);
  if (settings.error) return <ErrorBar error={settings.error} onRetry={settings.reload} />;
  if (!data) return <Loading />;
  const ro = !can.admin;
  const validColor = !color || /^#[0-9a-fA-F]{6}$/.test(color);
  return (
    <div className={s.top}>
      {saved ? <Notice>{t('settings.saved')}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <Section id="workspace" title={t('settings.workspace')}>
        <div className={s.col}>
          <Field label={t('settings.workspaceName')}>
            <Input value={name} onChange={(_, d) => setName(d.value)} disabled={ro} />
          </Field>
          <Text className={s.muted}>{t('settings.domain', { domain: data.workspace.domain })}</Text>
          {!ro ? (
            <span>
              <Button appearance="primary" disabled={!name.trim() || name === data.workspace.name} onClick={() => void update({ workspace: { name: name.trim() } })}>
                {t('common.save')}
              </Button>
            </span>
          ) : null}
        </div>
      </Section>
      <Section id="branding" title={t('settings.branding')}>
        <div className={s.col}>
          <Text>{t('settings.brandingHelp')}</Text>
          <div className={s.row}>
            <Field label={t('settings.color')} hint={t('settings.colorHint')} validationState={validColor ? 'none' : 'error'} validationMessage={validColor ? undefined : t('settings.colorBad')}>
              <Input value={color} onChange={(_, d) => setColor(d.value)} placeholder="#0F6CBD" disabled={ro} />
            </Field>
            <input type="color" className={s.swatch} value={validColor && color ? color : '#0F6CBD'} onChange={(e) => setColor(e.target.value.toUpperCase())} aria-label={t('settings.colorPick')} disabled={ro} />
            {!ro ? (
              <>
                <Button appearance="primary" disabled={!validColor || (color || null) === data.branding.primary_color} onClick={() => void update({ branding: { primary_color: color ? color.toUpperCase() : null } })}>
                  {t('common.save')}
                </Button>
                {data.branding.primary_color ? <Button onClick={() => void update({ branding: { primary_color: null } })}>{t('settings.colorReset')}</Button> : null}
              </>
            ) : null}
          </div>
          <div>
            <Text block weight="semibold">
              {t('settings.logo')}
            </Text>
            {data.branding.logo_url ? <img className={s.logo} src={data.branding.logo_url} alt={t('settings.logoAlt')} /> : <Text className={s.muted}>{t('settings.noLogo')}</Text>}
          </div>
          {!ro ? (
            <div className={s.row}>
              <input
                ref={file}
                type="file"
                accept={LOGO_LIMITS.types.join(',')}
                className="visually-hidden"
                tabIndex={-1}
                aria-label={t('settings.uploadLogo')}
                onChange={(e) => {
                  const fl = e.target.files?.[0];
                  e.target.value = '';
                  if (fl) void save(() => api.uploadLogo(fl, fl.name));
                }}
              />
              <Button onClick={() => file.current?.click()}>{data.branding.logo_url ? t('settings.replaceLogo') : t('settings.uploadLogo')}</Button>
              {data.branding.logo_url ? <Button onClick={() => void save(() => api.removeLogo())}>{t('settings.removeLogo')}</Button> : null}
              <Text className={s.muted}>{t('settings.logoHint', { mb: LOGO_LIMITS.maxBytes / 1024 / 1024 })}</Text>
            </div>
          ) : null}
        </div>
      </Section>
    </div>
  );
}

export function TrackingSettings() {
  const s = useStyles();
  const { t } = useI18n();
  const { can } = useServices();
  const { settings, error, saved, update } = useSettings();
  const [days, setDays] = useState('');
  const data = settings.data;
  useEffect(() => setDays(data?.tracking.watch_link_days ? String(data.tracking.watch_link_days) : ''), [data]);
  if (settings.error) return <ErrorBar error={settings.error} onRetry={settings.reload} />;
  if (!data) return <Loading />;
  const ro = !can.admin;
  const n = days.trim() ? Number(days) : null;
  const validDays = n === null || (Number.isInteger(n) && n >= 1 && n <= 3650);
  return (
    <div className={s.top}>
      {saved ? <Notice>{t('settings.saved')}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <Section id="privacy" title={t('settings.privacy')}>
        <div className={s.col}>
          <Switch
            checked={data.tracking.privacy_mode}
            disabled={ro}
            label={t('settings.privacyMode')}
            onChange={(_, d) => void update({ tracking: { privacy_mode: d.checked } })}
          />
          <Text className={s.muted}>{t('settings.privacyHelp')}</Text>
        </div>
      </Section>
      <Section id="links" title={t('settings.links')}>
        <div className={s.row}>
          <Field label={t('settings.linkDays')} hint={t('settings.linkDaysHint')} validationState={validDays ? 'none' : 'error'} validationMessage={validDays ? undefined : t('settings.linkDaysBad')}>
            <Input type="number" min={1} max={3650} value={days} onChange={(_, d) => setDays(d.value)} disabled={ro} />
          </Field>
          {!ro ? (
            <Button appearance="primary" disabled={!validDays || n === data.tracking.watch_link_days} onClick={() => void update({ tracking: { watch_link_days: n } })}>
              {t('common.save')}
            </Button>
          ) : null}
        </div>
      </Section>
    </div>
  );
}

export function NotificationSettings() {
  const s = useStyles();
  const { t } = useI18n();
  const { api, can } = useServices();
  const prefs = useAsync(() => api.notificationPrefs(), [api]);
  const { settings, error: wsError, update } = useSettings();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  if (prefs.error) return <ErrorBar error={prefs.error} onRetry={prefs.reload} />;
  if (!prefs.data) return <Loading />;
  return (
    <div className={s.top}>
      {saved ? <Notice>{t('settings.saved')}</Notice> : null}
      {error || wsError ? <ErrorBar error={error ?? wsError} /> : null}
      <Section id="mine" title={t('settings.myNotifications')}>
        <div className={s.col}>
          <Switch
            checked={prefs.data.email_on_first_view}
            label={t('settings.emailOnFirstView')}
            onChange={(_, d) =>
              api.setNotificationPrefs({ email_on_first_view: d.checked }).then(
                (p) => {
                  prefs.setData(p);
                  setSaved(true);
                },
                setError,
              )
            }
          />
          <Text className={s.muted}>{t('settings.inAppAlways')}</Text>
        </div>
      </Section>
      {can.admin && settings.data ? (
        <Section id="default" title={t('settings.teamDefault')}>
          <Switch
            checked={settings.data.notifications.email_on_first_view_default}
            label={t('settings.defaultEmailOnFirstView')}
            onChange={(_, d) => void update({ notifications: { email_on_first_view_default: d.checked } })}
          />
        </Section>
      ) : null}
    </div>
  );
}
