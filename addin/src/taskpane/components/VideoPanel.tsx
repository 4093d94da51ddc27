import { Body1, Button, Field, MessageBar, MessageBarBody, ProgressBar, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { Avatar, CreateVideoRequest, Video } from '@mvs/shared/api/api-types';
import type { MessageKey } from '@mvs/shared/i18n/i18n';
import { followVideo, type ProgressUpdate } from '@mvs/shared/api/video-progress';
import { firstName, type EmailInput } from '../../mail/email-input';
import type { ItemMode } from '../../office/mailbox';
import { useI18n, useServices } from '../services';
import type { ScriptState } from './ScriptEditor';
import { Section } from './Section';
import { InsertVideo } from './InsertVideo';
import { stageLabel } from './stage-label';

type Voice = 'default' | 'espeak' | 'openai' | 'elevenlabs';
const VOICES: Voice[] = ['default', 'espeak', 'openai', 'elevenlabs'];
type Style = 'auto' | NonNullable<CreateVideoRequest['renderer']>;
const STYLE_LABEL: Record<Style, MessageKey> = {
  auto: 'video.style.auto',
  photo: 'video.style.photo',
  static: 'video.style.static',
  heygen: 'video.style.heygen',
  remote: 'video.style.remote',
};

type RenderState =
  | { kind: 'idle' }
  | { kind: 'running'; update: ProgressUpdate }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; video: Video };

const useStyles = makeStyles({
  options: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalS },
  wide: { gridColumn: '1 / span 2' },
  preview: { width: '100%', maxHeight: '320px', backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium },
});

/** 'Best available' (the server decides) plus each renderer the avatar is ready for. */
const styles_ = (a: Avatar | undefined): Style[] => ['auto', ...((a?.ready_renderers ?? []).filter((r): r is Style => r in STYLE_LABEL && r !== 'auto'))];

/** Avatar and voice, "Create video" with progress by stage, preview, retry, and insert. */
export function VideoPanel(props: { input: EmailInput | null; mode: ItemMode; script: ScriptState; fail(e: unknown): string; onFinished?(videoId: string): void }) {
  const styles = useStyles();
  const { api } = useServices();
  const { t } = useI18n();
  const [avatars, setAvatars] = useState<Avatar[] | null>(null);
  const [avatarId, setAvatarId] = useState('');
  const [voice, setVoice] = useState<Voice>('default');
  const [style, setStyle] = useState<Style>('auto');
  const [state, setState] = useState<RenderState>({ kind: 'idle' });
  const [hint, setHint] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const { fail, input, script } = props;

  useEffect(() => {
    api.avatars().then(
      (page) => {
        // Same rule as the server: an avatar with a photo and consent renders at least with the static renderer.
        const ready = page.items.filter((a) => a.ready_renderers.length > 0);
        setAvatars(ready);
        setAvatarId((cur) => cur || ready[0]?.id || '');
      },
      (e: unknown) => setHint(fail(e)),
    );
    return () => abort.current?.abort();
  }, [api, fail]);

  const create = async () => {
    if (!script.text.trim()) return setHint(t('video.needScript'));
    if (!avatarId) return setHint(t('video.needAvatar'));
    setHint(null);
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setState({ kind: 'running', update: { status: 'queued', stage: null, progress: 0 } });
    const recipient = firstName(input?.from);
    const request: CreateVideoRequest = {
      avatar_id: avatarId,
      script: script.text.trim(),
      ...(script.language !== 'auto' ? { language: script.language } : {}),
      ...(input?.subject ? { title: input.subject.slice(0, 200) } : {}),
      ...(recipient ? { recipient_name: recipient } : {}),
      ...(voice !== 'default' ? { tts: { engine: voice } } : {}),
      ...(style !== 'auto' ? { renderer: style } : {}),
    };
    try {
      const created = await api.createVideo(request);
      const video = await followVideo(api, created.id, (update) => setState({ kind: 'running', update }), controller.signal);
      props.onFinished?.(video.id);
      if (video.status === 'completed') setState({ kind: 'done', video });
      else setState({ kind: 'failed', message: video.error || video.error_code || video.status });
    } catch (e) {
      if (!controller.signal.aborted) setState({ kind: 'failed', message: fail(e) });
    }
  };

  const running = state.kind === 'running';
  return (
    <Section title={t('video.title')}>
      <div className={styles.options}>
        <Field label={t('video.avatar')}>
          <Select value={avatarId} onChange={(_, d) => setAvatarId(d.value)} disabled={!avatars?.length}>
            {(avatars ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('video.voice')}>
          <Select value={voice} onChange={(_, d) => setVoice(d.value as Voice)}>
            {VOICES.map((v) => (
              <option key={v} value={v}>
                {t(`video.voice.${v}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('video.style')} className={styles.wide}>
          <Select value={style} onChange={(_, d) => setStyle(d.value as Style)}>
            {styles_(avatars?.find((a) => a.id === avatarId)).map((v) => (
              <option key={v} value={v}>
                {t(STYLE_LABEL[v])}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {avatars?.length === 0 && <Body1>{t('video.noAvatars')}</Body1>}
      {hint && (
        <MessageBar intent="warning">
          <MessageBarBody>{hint}</MessageBarBody>
        </MessageBar>
      )}
      {state.kind !== 'failed' && (
        <Button appearance={state.kind === 'done' ? 'secondary' : 'primary'} onClick={create} disabled={running}>
          {running ? t('video.creating') : t('video.create')}
        </Button>
      )}
      {running && (
        <Field
          label={t('video.progress', { stage: stageLabel(state.update, t), n: state.update.progress })}
          validationState="none"
        >
          <ProgressBar value={state.update.progress / 100} thickness="large" aria-label={t('video.title')} />
        </Field>
      )}
      {state.kind === 'failed' && (
        <>
          <MessageBar intent="error">
            <MessageBarBody>{t('video.failed', { message: state.message })}</MessageBarBody>
          </MessageBar>
          <Button appearance="primary" onClick={create}>
            {t('video.retry')}
          </Button>
        </>
      )}
      {state.kind === 'done' && (
        <>
          <Field label={t('video.progress', { stage: t('video.stage.completed'), n: 100 })}>
            <ProgressBar value={1} thickness="large" color="success" aria-label={t('video.title')} />
          </Field>
          <Body1>{t('video.ready')}</Body1>
          {state.video.video_url && (
            <video className={styles.preview} controls preload="metadata" src={state.video.video_url} poster={state.video.poster_url ?? undefined} />
          )}
          <InsertVideo video={state.video} mode={props.mode} fail={fail} />
        </>
      )}
    </Section>
  );
}
