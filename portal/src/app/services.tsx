import { ApiError, type ApiClient } from '@mvs/shared/api/api-client';
import type { Me } from '@mvs/shared/api/api-types';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type DependencyList } from 'react';
import type { PortalKey, T } from './i18n';

/** What every page talks to: the one API client, the signed-in user, what their role lets them do. */
export interface Services {
  api: ApiClient;
  me: Me;
  can: { write: boolean; admin: boolean };
  signOut(): Promise<void>;
  reloadMe(): Promise<void>;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside the signed-in shell');
  return s;
}

export const rolePowers = (role: Me['user']['role']) => ({ write: role !== 'viewer', admin: role === 'admin' });

const CODE_KEYS: Partial<Record<string, PortalKey>> = {
  not_found: 'error.code.not_found',
  forbidden: 'error.forbidden',
  rate_limited: 'error.code.rate_limited',
  file_too_large: 'error.code.file_too_large',
  unsupported_file_type: 'error.code.unsupported_file_type',
  unreadable_file: 'error.code.unreadable_file',
  image_too_small: 'error.code.image_too_small',
  missing_file: 'error.code.missing_file',
  consent_required: 'error.code.consent_required',
  avatar_not_ready: 'error.code.avatar_not_ready',
  weak_password: 'error.code.weak_password',
  email_taken: 'error.code.email_taken',
  invalid_credentials: 'error.code.invalid_credentials',
  user_inactive: 'error.code.user_inactive',
  url_not_public: 'error.code.url_not_public',
  script_empty: 'error.code.script_empty',
  script_too_long: 'error.code.script_too_long',
  no_face: 'face.no_face',
  multiple_faces: 'face.multiple_faces',
  face_too_small: 'face.face_too_small',
  face_not_frontal: 'face.face_not_frontal',
  payload_too_large: 'error.code.file_too_large',
};

/** Any failure in the reader's words: known codes are translated, the rest show the server's message (it says what to fix). */
export function describeError(e: unknown, t: T, locale = 'en'): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network');
    if (e.status === 401 && e.code !== 'invalid_credentials') return t('error.session');
    const details = (e.details ?? {}) as { hint?: string; hint_vi?: string };
    const key = CODE_KEYS[e.code];
    const hint = locale === 'vi' ? details.hint_vi : details.hint;
    if (key) return hint ? `${t(key)} ${hint}` : t(key);
    if (e.status === 403) return t('error.forbidden');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export interface AsyncState<V> {
  data: V | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  setData(v: V | undefined): void;
}

/** Runs `load` when `deps` change (aborting the previous run); `reload()` runs it again. */
export function useAsync<V>(load: (signal: AbortSignal) => Promise<V>, deps: DependencyList): AsyncState<V> {
  const [data, setData] = useState<V | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(undefined);
    loadRef.current(ctrl.signal).then(
      (v) => {
        if (ctrl.signal.aborted) return;
        setData(v);
        setLoading(false);
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
