import { Button, Checkbox, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Avatar, MouthShapes as Shapes, Video } from '@mvs/shared/api/api-types';
import { AVATAR_LIMITS } from '@mvs/shared/schemas/avatars';
import { followVideo, type ProgressUpdate } from '@mvs/shared/api/video-progress';
import { useEffect, useRef, useState } from 'react';
import { useI18n, type PortalKey } from '../app/i18n';
import { navigateAfterDialog } from '../app/router';
import { useAsync, useServices } from '../app/services';
import { AppLink } from '../components/AppLink';
import { AvatarStatus } from '../components/AvatarStatus';
import { ConfirmButton } from '../components/Confirm';
import { MouthShapes } from '../components/MouthShapes';
import { ErrorBar, Loading, Notice, PageHeader, Section } from '../components/ui';
import { VideoStatus } from '../components/VideoStatus';
import { VoiceRecorder } from '../components/VoiceRecorder';

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(200px, 280px) 1fr', gap: tokens.spacingHorizontalXL, alignItems: 'start' },
  photo: { width: '100%', borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralBackground3, display: 'block' },
  noPhoto: { aspectRatio: '3 / 4', display: 'flex', alignItems: 'center', justifyContent: 'center', borderRadius: tokens.borderRadiusLarge, border: `1px dashed ${tokens.colorNeutralStroke1}`, padding: tokens.spacingHorizontalL, textAlign: 'center' },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap', marginTop: tokens.spacingVerticalS },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
  statement: { padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium, margin: 0 },
  video: { width: '240px', borderRadius: tokens.borderRadiusLarge, backgroundColor: tokens.colorNeutralForeground1 },
});

/** About five seconds spoken, in the avatar's language (what the test video says, whatever the portal's language). */
const TEST_SCRIPT = {
  en: 'Hi! This is a short test of my video avatar. How do I sound?',
  vi: 'Xin chào! Đây là video thử ngắn của avatar. Giọng tôi nghe thế nào?',
} as const;

const FACE_CODES = ['no_face', 'multiple_faces', 'face_too_small', 'face_not_frontal'] as const;
type FaceCode = (typeof FACE_CODES)[number];
const isFaceCode = (c: string | null): c is FaceCode => FACE_CODES.includes(c as FaceCode);

/** A hidden file input opened by a normal button (keyboard and screen readers see the button and its label). */
function FilePick({ label, accept, onFile, disabled }: { label: string; accept: string; onFile(f: File): void; disabled?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={ref}
        type="file"
        accept={accept}
        aria-label={label}
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
      <Button onClick={() => ref.current?.click()} disabled={disabled}>
        {label}
      </Button>
    </>
  );
}

/** One avatar: photo (with the face check's answer in words), consent, voice, mouth shapes, and a 5 s test render. */
export function AvatarDetail({ params }: { params: Record<string, string> }) {
  const s = useStyles();
  const { t, f, locale } = useI18n();
  const { api, can, me } = useServices();
  const id = params.id!;
  const avatar = useAsync(() => api.avatar(id), [api, id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const a: Avatar | undefined = avatar.data;
  const setAvatar = avatar.setData;
  const mayChange = can.write && a && (can.admin || a.owner_id === me.user.id);

  // While the photo is being prepared (face check, mouth shapes), look again every second.
  useEffect(() => {
    if (a?.status !== 'processing') return;
    const timer = setInterval(() => api.avatar(id).then(setAvatar, () => undefined), 1000);
    return () => clearInterval(timer);
  }, [api, id, a?.status, setAvatar]);

  const shapes = useAsync<Shapes | null>(() => (a?.status === 'ready' ? api.mouthShapes(id) : Promise.resolve(null)), [api, id, a?.status, a?.updated_at]);

  if (avatar.error) return <ErrorBar error={avatar.error} onRetry={avatar.reload} />;
  if (!a) return <Loading />;

  const run = async (what: string, fn: () => Promise<Avatar | void>, done?: string) => {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      const next = await fn();
      if (next) setAvatar(next);
      if (done) setNotice(done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const faceFailed = a.status === 'failed' && isFaceCode(a.error_code) ? a.error_code : null;

  return (
    <>
      <PageHeader
        title={a.name}
        subtitle={<AppLink to="/avatars">{t('avatar.back')}</AppLink>}
        actions={
          mayChange ? (
            <ConfirmButton
              label={t('avatar.delete')}
              title={t('avatar.deleteTitle')}
              body={t('avatar.deleteBody')}
              confirm={t('avatar.delete')}
              onConfirm={() =>
                run('delete', async () => {
                  await api.deleteAvatar(id);
                  navigateAfterDialog('/avatars');
                })
              }
            />
          ) : undefined
        }
      />
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorBar error={error} /> : null}
      <div className={s.layout}>
        <div className={s.col}>
          {a.photo_url ? <img className={s.photo} src={a.photo_url} alt={t('avatars.photoOf', { name: a.name })} /> : <div className={s.noPhoto}>{t('avatar.noPhoto')}</div>}
          <span>
            <AvatarStatus avatar={a} />
          </span>
        </div>
        <div>
          <Section id="photo" title={t('avatar.photoTitle')}>
            <Text block>{t('avatar.photoHelp', { mb: AVATAR_LIMITS.maxPhotoBytes / 1024 / 1024, px: AVATAR_LIMITS.minPhotoShortSide })}</Text>
            {a.status === 'processing' ? (
              <div className={s.row} role="status">
                <Spinner size="tiny" />
                <Text>{t('avatar.checking')}</Text>
              </div>
            ) : null}
            {faceFailed ? (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>
                  <MessageBarTitle>{t(`face.${faceFailed}` as PortalKey)}</MessageBarTitle>
                  {t(`face.${faceFailed}.hint` as PortalKey)}
                </MessageBarBody>
              </MessageBar>
            ) : a.status === 'failed' ? (
              <ErrorBar error={new Error(a.error ?? t('avatar.prepareFailed'))} />
            ) : null}
            {a.status === 'ready' ? <Notice>{t('avatar.faceOk')}</Notice> : null}
            {mayChange ? (
              <div className={s.row}>
                <FilePick
                  label={a.photo_url ? t('avatar.replacePhoto') : t('avatar.uploadPhoto')}
                  accept={AVATAR_LIMITS.photoTypes.join(',')}
                  disabled={busy !== null}
                  onFile={(file) => void run('photo', () => api.uploadPhoto(id, file, file.name))}
                />
                {busy === 'photo' ? <Spinner size="tiny" label={t('avatar.uploading')} /> : null}
              </div>
            ) : null}
          </Section>

          <Section id="consent" title={t('avatar.consentTitle')}>
            {a.consent ? (
              <>
                <Text block>{t('avatar.consentRecorded', { when: f.dateTime(a.consent.at) })}</Text>
                <blockquote className={s.statement}>{a.consent.statement}</blockquote>
              </>
            ) : (
              <ConsentForm disabled={!mayChange || busy !== null} onGive={(statement) => run('consent', () => api.giveConsent(id, statement), t('avatar.consentThanks'))} />
            )}
          </Section>

          <Section id="voice" title={t('avatar.voiceTitle')}>
            <Text block>{a.has_voice ? t('avatar.voiceHas', { s: f.number(Math.round((a.voice_duration_sec ?? 0) * 10) / 10) }) : t('avatar.voiceNone')}</Text>
            {mayChange ? (
              <div className={s.col}>
                <div className={s.row}>
                  <FilePick label={t('avatar.uploadVoice')} accept={AVATAR_LIMITS.voiceTypes.join(',')} disabled={busy !== null} onFile={(file) => void run('voice', () => api.uploadVoice(id, file, file.name), t('avatar.voiceSaved'))} />
                  {busy === 'voice' ? <Spinner size="tiny" label={t('avatar.uploading')} /> : null}
                </div>
                <VoiceRecorder disabled={busy !== null} onRecorded={(blob, name) => void run('voice', () => api.uploadVoice(id, blob, name), t('avatar.voiceSaved'))} />
              </div>
            ) : null}
          </Section>

          <Section id="shapes" title={t('avatar.shapesTitle')}>
            {a.status !== 'ready' ? <Text className={s.muted}>{t('avatar.shapesLater')}</Text> : null}
            {shapes.error ? <ErrorBar error={shapes.error} onRetry={shapes.reload} /> : null}
            {shapes.data ? (
              <>
                <Text block className={s.muted}>
                  {t('avatar.shapesHelp')}
                </Text>
                <MouthShapes shapes={shapes.data} />
              </>
            ) : null}
          </Section>

          <Section id="test" title={t('avatar.testTitle')}>
            <TestRender avatar={a} canRender={Boolean(can.write)} locale={locale} />
          </Section>
        </div>
      </div>
    </>
  );
}

function ConsentForm({ onGive, disabled }: { onGive(statement: string): void; disabled: boolean }) {
  const s = useStyles();
  const { t } = useI18n();
  const [checked, setChecked] = useState(false);
  const statement = t('avatar.consentStatement');
  return (
    <div className={s.col}>
      <Text>{t('avatar.consentWhy')}</Text>
      <blockquote className={s.statement}>{statement}</blockquote>
      <Checkbox checked={checked} onChange={(_, d) => setChecked(d.checked === true)} label={t('avatar.consentCheck')} disabled={disabled} />
      <span>
        <Button appearance="primary" disabled={!checked || disabled} onClick={() => onGive(statement)}>
          {t('avatar.consentGive')}
        </Button>
      </span>
    </div>
  );
}

/** A real render of a short sentence in the avatar's language, with live progress and the result playing here. */
function TestRender({ avatar, canRender, locale }: { avatar: Avatar; canRender: boolean; locale: string }) {
  const s = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const [style, setStyle] = useState<'photo' | 'static'>('photo');
  const [progress, setProgress] = useState<ProgressUpdate | null>(null);
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ctrl = useRef<AbortController | null>(null);
  useEffect(() => () => ctrl.current?.abort(), []);
  const ready = avatar.ready_renderers;
  const renderer = ready.includes(style) ? style : ready.includes('static') ? 'static' : style;

  const blocked = !avatar.photo_url ? t('avatar.testNeedsPhoto') : !avatar.consent ? t('avatar.testNeedsConsent') : null;
  const start = async () => {
    setError(null);
    setVideo(null);
    setProgress({ status: 'queued', stage: null, progress: 0 });
    ctrl.current?.abort();
    ctrl.current = new AbortController();
    try {
      const lang = avatar.language === 'vi' ? 'vi' : 'en';
      const created = await api.createVideo({
        avatar_id: avatar.id,
        script: TEST_SCRIPT[lang],
        language: lang,
        renderer,
        title: t('avatar.testVideoTitle', { name: avatar.name }),
      });
      const done = await followVideo(api, created.id, setProgress, ctrl.current.signal);
      setVideo(done);
      setProgress(null);
      if (done.status !== 'completed') setError(new Error(done.error ?? t('video.failed')));
    } catch (e) {
      setProgress(null);
      setError(e);
    }
  };

  return (
    <div className={s.col}>
      <Text>{t('avatar.testHelp')}</Text>
      {blocked ? <Text className={s.muted}>{blocked}</Text> : null}
      <div className={s.row}>
        <Field label={t('avatar.testStyle')}>
          <Select value={style} onChange={(_, d) => setStyle(d.value === 'static' ? 'static' : 'photo')}>
            <option value="photo">{t('avatar.style.photo')}</option>
            <option value="static">{t('avatar.style.static')}</option>
          </Select>
        </Field>
        <Button appearance="primary" disabled={!canRender || Boolean(blocked) || progress !== null} onClick={() => void start()}>
          {t('avatar.testRun')}
        </Button>
      </div>
      {style === 'photo' && !ready.includes('photo') && !blocked ? <Text className={s.muted}>{t('avatar.testStaticFallback')}</Text> : null}
      {progress ? <VideoStatus video={progress} /> : null}
      {error ? <ErrorBar error={error} /> : null}
      {video?.status === 'completed' && video.video_url ? (
        <div className={s.col}>
          <Notice>{t('avatar.testDone')}</Notice>
          <video className={s.video} src={video.video_url} poster={video.poster_url ?? undefined} controls aria-label={t('video.player')} lang={locale} />
          <AppLink to={`/videos/${video.id}`}>{t('avatar.testOpen')}</AppLink>
        </div>
      ) : null}
    </div>
  );
}
