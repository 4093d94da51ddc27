import { Tab, TabList } from '@fluentui/react-components';
import { useI18n, type PortalKey } from '../app/i18n';
import { navigate, useLocation } from '../app/router';
import { useServices } from '../app/services';
import { PageHeader } from '../components/ui';
import { BrandingSettings, NotificationSettings, TrackingSettings } from './settings/WorkspaceSettings';
import { ProviderKeys } from './settings/ProviderKeys';
import { Webhooks } from './settings/Webhooks';

const TABS: { id: string; label: PortalKey; admin?: boolean }[] = [
  { id: 'branding', label: 'settings.tab.branding' },
  { id: 'tracking', label: 'settings.tab.tracking' },
  { id: 'notifications', label: 'settings.tab.notifications' },
  { id: 'webhooks', label: 'settings.tab.webhooks', admin: true },
  { id: 'keys', label: 'settings.tab.keys', admin: true },
];

/** Workspace settings in tabs: branding, tracking privacy, notifications, webhooks and provider keys (the last two admins only). */
export function Settings() {
  const { t } = useI18n();
  const { can } = useServices();
  const { search } = useLocation();
  const tabs = TABS.filter((x) => !x.admin || can.admin);
  const tab = tabs.find((x) => x.id === search.get('tab'))?.id ?? 'branding';
  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={can.admin ? t('settings.subtitleAdmin') : t('settings.subtitleReader')} />
      <TabList selectedValue={tab} onTabSelect={(_, d) => navigate(`/settings?tab=${String(d.value)}`, { replace: true })} aria-label={t('settings.title')}>
        {tabs.map((x) => (
          <Tab key={x.id} value={x.id}>
            {t(x.label)}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={t(tabs.find((x) => x.id === tab)!.label)}>
        {tab === 'branding' ? <BrandingSettings /> : null}
        {tab === 'tracking' ? <TrackingSettings /> : null}
        {tab === 'notifications' ? <NotificationSettings /> : null}
        {tab === 'webhooks' ? <Webhooks /> : null}
        {tab === 'keys' ? <ProviderKeys /> : null}
      </div>
    </>
  );
}
