import { Link, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '@mvs/shared/api/api-client';
import type { SummarizeResponse } from '@mvs/shared/api/api-types';
import { toEmailInput } from '../../mail/email-input';
import type { MailItem } from '../../office/mailbox';
import { describeError, useI18n, useServices } from '../services';
import { EmailCard } from './EmailCard';
import { ScriptEditor, type ScriptState } from './ScriptEditor';
import { SummaryPanel } from './SummaryPanel';
import { VideoPanel } from './VideoPanel';

// Below the fold and not needed for the first paint: loaded after the pane is interactive.
const RecentVideos = lazy(() => import(/* webpackChunkName: "recent" */ './RecentVideos'));

const useStyles = makeStyles({
  footer: { display: 'flex', justifyContent: 'flex-end', paddingBottom: tokens.spacingVerticalM },
});

/** The signed-in flow: the open email, its summary, the script, the video and where it goes. */
export function Workspace({ onSessionEnded }: { onSessionEnded(): void }) {
  const styles = useStyles();
  const { mailbox, portalUrl } = useServices();
  const { t } = useI18n();
  const [item, setItem] = useState<MailItem | null | undefined>(undefined);
  const [readError, setReadError] = useState<string | null>(null);
  const [summary, setSummary] = useState<SummarizeResponse | null>(null);
  const [script, setScript] = useState<ScriptState>({ text: '', language: 'auto' });
  const [lastVideoId, setLastVideoId] = useState<string | undefined>(undefined);

  /** Words for the user; a rejected session sends them back to sign-in. */
  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onSessionEnded();
      return describeError(e, t);
    },
    [onSessionEnded, t],
  );

  const load = useCallback(async () => {
    setReadError(null);
    try {
      setItem(await mailbox.readItem());
    } catch (e) {
      setItem(null);
      setReadError(t('email.readFailed', { message: describeError(e, t) }));
    }
  }, [mailbox, t]);

  useEffect(() => {
    void load();
    let stop: (() => Promise<void>) | undefined;
    mailbox
      .onItemChanged(() => {
        setSummary(null);
        setScript({ text: '', language: 'auto' });
        void load();
      })
      .then((off) => (stop = off), () => undefined);
    return () => void stop?.().catch(() => undefined);
    // Subscribe once per mailbox; `load` changes with the language only.
  }, [mailbox]);

  const input = useMemo(() => (item ? toEmailInput(item, mailbox.user()) : null), [item, mailbox]);

  return (
    <>
      <EmailCard item={item} input={input} error={readError} onReload={load} />
      {input && input.body && <SummaryPanel input={input} summary={summary} onSummary={setSummary} fail={fail} />}
      {input && <ScriptEditor input={input} summary={summary} script={script} onScript={setScript} fail={fail} />}
      <VideoPanel input={input} mode={item?.mode ?? 'compose'} script={script} fail={fail} onFinished={setLastVideoId} />
      <Suspense fallback={null}>
        <RecentVideos mode={item?.mode ?? 'compose'} fail={fail} refreshKey={lastVideoId} />
      </Suspense>
      <div className={styles.footer}>
        <Link href={portalUrl} target="_blank" rel="noopener">
          {t('app.portal')}
        </Link>
      </div>
    </>
  );
}
