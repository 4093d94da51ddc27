import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PortalKey } from './i18n';

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
const page = <K extends string>(load: () => Promise<Record<K, ComponentType<{ params: Record<string, string> }>>>, name: K): Page =>
  lazy(() => load().then((m) => ({ default: m[name] })));

/** Every client route and its code-split page (one chunk per area, loaded on first visit). */
export const ROUTES: { pattern: string; page: Page }[] = [
  { pattern: '/', page: page(() => import(/* webpackChunkName: "dashboard" */ '../pages/Dashboard'), 'Dashboard') },
  { pattern: '/videos', page: page(() => import(/* webpackChunkName: "videos" */ '../pages/Videos'), 'Videos') },
  { pattern: '/videos/:id', page: page(() => import(/* webpackChunkName: "video" */ '../pages/VideoDetail'), 'VideoDetail') },
  { pattern: '/avatars', page: page(() => import(/* webpackChunkName: "avatars" */ '../pages/Avatars'), 'Avatars') },
  { pattern: '/avatars/:id', page: page(() => import(/* webpackChunkName: "avatar" */ '../pages/AvatarDetail'), 'AvatarDetail') },
  { pattern: '/campaigns', page: page(() => import(/* webpackChunkName: "campaigns" */ '../pages/Campaigns'), 'Campaigns') },
  { pattern: '/campaigns/new', page: page(() => import(/* webpackChunkName: "campaign-wizard" */ '../pages/CampaignWizard'), 'CampaignWizard') },
  { pattern: '/campaigns/:id/edit', page: page(() => import(/* webpackChunkName: "campaign-wizard" */ '../pages/CampaignWizard'), 'CampaignWizard') },
  { pattern: '/campaigns/:id', page: page(() => import(/* webpackChunkName: "campaign" */ '../pages/CampaignDetail'), 'CampaignDetail') },
  { pattern: '/templates', page: page(() => import(/* webpackChunkName: "templates" */ '../pages/Templates'), 'Templates') },
  { pattern: '/templates/:id', page: page(() => import(/* webpackChunkName: "template" */ '../pages/TemplateDetail'), 'TemplateDetail') },
  { pattern: '/team', page: page(() => import(/* webpackChunkName: "team" */ '../pages/Team'), 'Team') },
  { pattern: '/settings', page: page(() => import(/* webpackChunkName: "settings" */ '../pages/Settings'), 'Settings') },
  { pattern: '/audit', page: page(() => import(/* webpackChunkName: "audit" */ '../pages/Audit'), 'Audit') },
];

/** The navigation, in order; `admin` items are shown to admins only (the server refuses the rest anyway). */
export const NAV: { to: string; label: PortalKey; admin?: boolean }[] = [
  { to: '/', label: 'nav.dashboard' },
  { to: '/videos', label: 'nav.videos' },
  { to: '/avatars', label: 'nav.avatars' },
  { to: '/campaigns', label: 'nav.campaigns' },
  { to: '/templates', label: 'nav.templates' },
  { to: '/team', label: 'nav.team', admin: true },
  { to: '/settings', label: 'nav.settings' },
  { to: '/audit', label: 'nav.audit', admin: true },
];
