import { Badge, Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Suspense, useEffect, useRef } from 'react';
import { Loading, PageHeader } from '../components/ui';
import { LanguagePicker } from '../components/LanguagePicker';
import { useI18n } from './i18n';
import { Link, match, useLocation } from './router';
import { NAV, ROUTES } from './routes';
import { useServices } from './services';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground3 },
  skip: {
    position: 'absolute',
    left: '-9999px',
    top: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus': { left: tokens.spacingHorizontalS, zIndex: 10 },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightBold, fontSize: tokens.fontSizeBase400, color: tokens.colorBrandForeground1, textDecoration: 'none' },
  workspace: { color: tokens.colorNeutralForeground2 },
  grow: { flexGrow: 1 },
  user: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  body: { display: 'flex', flexGrow: 1, minHeight: 0 },
  nav: { width: '200px', flexShrink: 0, padding: tokens.spacingVerticalM, backgroundColor: tokens.colorNeutralBackground1, borderRight: `1px solid ${tokens.colorNeutralStroke2}` },
  navList: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  navLink: {
    display: 'block',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecoration: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  navActive: { backgroundColor: tokens.colorBrandBackground2, color: tokens.colorBrandForeground2, fontWeight: tokens.fontWeightSemibold },
  main: { flexGrow: 1, minWidth: 0, padding: tokens.spacingHorizontalXXL, maxWidth: '1280px' },
});

/** The signed-in frame: header (workspace, language, user, sign out), navigation, and the current route's page. */
export function Shell() {
  const s = useStyles();
  const { t } = useI18n();
  const { me, can, signOut } = useServices();
  const { path } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const found = ROUTES.map((r) => ({ r, params: match(r.pattern, path) })).find((x) => x.params);
  const section = '/' + (path.split('/')[1] ?? '');

  useEffect(() => {
    const label = NAV.find((n) => n.to === section);
    document.title = label ? `${t(label.label)} · Mail Video` : 'Mail Video';
  }, [section, t]);

  const Page = found?.r.page;
  return (
    <div className={s.root}>
      <a href="#main" className={s.skip}>
        {t('app.skip')}
      </a>
      <header className={s.header}>
        <Link to="/" className={s.brand}>
          Mail Video
        </Link>
        <Text className={s.workspace}>{me.tenant.name}</Text>
        <span className={s.grow} />
        <LanguagePicker />
        <span className={s.user}>
          <Text>{me.user.full_name || me.user.email}</Text>
          <Badge appearance="tint" color={can.admin ? 'brand' : 'informative'}>
            {t(`role.${me.user.role}`)}
          </Badge>
        </span>
        <Button appearance="subtle" onClick={() => void signOut()}>
          {t('app.signOut')}
        </Button>
      </header>
      <div className={s.body}>
        <nav className={s.nav} aria-label={t('nav.label')}>
          <ul className={s.navList}>
            {NAV.filter((n) => !n.admin || can.admin).map((n) => {
              const active = n.to === section || (n.to === '/' && path === '/');
              return (
                <li key={n.to}>
                  <Link to={n.to} className={mergeClasses(s.navLink, active && s.navActive)} aria-current={active ? 'page' : undefined}>
                    {t(n.label)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" ref={mainRef} className={s.main} tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            {Page && found?.params ? (
              <Page key={path} params={found.params} />
            ) : (
              <>
                <PageHeader title={t('notFound.title')} subtitle={t('notFound.body')} />
                <Link to="/">{t('notFound.home')}</Link>
              </>
            )}
          </Suspense>
        </main>
      </div>
    </div>
  );
}
