import { useCallback, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** Where the API server serves the portal; every client route lives under it. */
export const BASE = '/portal';
const NAV_EVENT = 'mvs:navigate';

const subscribe = (cb: () => void) => {
  window.addEventListener('popstate', cb);
  window.addEventListener(NAV_EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(NAV_EVENT, cb);
  };
};
const snapshot = () => window.location.pathname + window.location.search;

/** The current location below BASE ("/videos/123?status=failed"). */
export function useLocation(): { path: string; search: URLSearchParams } {
  const full = useSyncExternalStore(subscribe, snapshot);
  const [p = '', q = ''] = full.split('?');
  const path = p.startsWith(BASE) ? p.slice(BASE.length) || '/' : p;
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, search: new URLSearchParams(q) };
}

/** Goes to a route below BASE ("/videos"); `replace` keeps the history length. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = BASE + (to.startsWith('/') ? to : `/${to}`);
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAV_EVENT));
  window.scrollTo(0, 0);
}

/** Matches "/videos/:id" against a path; the named segments, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (p.startsWith(':')) out[p.slice(1)] = decodeURIComponent(xs[i]!);
    else if (p !== xs[i]) return null;
  }
  return out;
}

/** A real link (keyboard, middle-click, copy address all work) that navigates without a page load. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const href = BASE + (to.startsWith('/') ? to : `/${to}`);
  const click = useCallback(
    (e: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(e);
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
    [onClick, to],
  );
  return <a href={href} onClick={click} {...rest} />;
}

/** href + onClick for any anchor-like component (Fluent's Link, Button as="a") that should navigate in place. */
export function linkProps(to: string) {
  return {
    href: BASE + (to.startsWith('/') ? to : `/${to}`),
    onClick: (e: MouseEvent<HTMLElement>) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
  };
}

/**
 * navigate() once no dialog is open any more. A Fluent dialog hides the rest of the page from screen readers while it
 * is open (aria-hidden); unmounting it by navigating away mid-close would leave the next page hidden.
 */
export function navigateAfterDialog(to: string): void {
  const started = Date.now();
  const go = () => {
    const busy = document.querySelector('[role="dialog"], [role="alertdialog"]') || document.getElementById('root')?.hasAttribute('aria-hidden');
    if (busy && Date.now() - started < 2000) setTimeout(go, 30);
    else navigate(to);
  };
  setTimeout(go, 0);
}
