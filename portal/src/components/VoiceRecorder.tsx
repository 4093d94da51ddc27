import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../app/i18n';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  rec: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** The first audio type this browser's MediaRecorder can write (Chromium: WebM/Opus, Safari: MP4/AAC). */
function recorderType(): string | undefined {
  if (typeof MediaRecorder === 'undefined') return undefined;
  return ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg;codecs=opus'].find((m) => MediaRecorder.isTypeSupported(m));
}

/** Records a voice sample with the microphone (MediaRecorder), plays it back, and hands it over when the user keeps it. */
export function VoiceRecorder({ onRecorded, disabled }: { onRecorded(blob: Blob, fileName: string): void; disabled?: boolean }) {
  const s = useStyles();
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'recording' | 'recorded'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [clip, setClip] = useState<{ blob: Blob; url: string } | null>(null);
  const rec = useRef<{ recorder: MediaRecorder; stream: MediaStream; timer: ReturnType<typeof setInterval> } | null>(null);
  const type = recorderType();

  useEffect(
    () => () => {
      rec.current?.stream.getTracks().forEach((tr) => tr.stop());
      if (rec.current) clearInterval(rec.current.timer);
    },
    [],
  );
  useEffect(() => () => (clip ? URL.revokeObjectURL(clip.url) : undefined), [clip]);

  if (!type || !navigator.mediaDevices?.getUserMedia) return <Text>{t('voice.noRecorder')}</Text>;

  const start = async () => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
      const recorder = new MediaRecorder(stream, { mimeType: type });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      recorder.onstop = () => {
        stream.getTracks().forEach((tr) => tr.stop());
        const blob = new Blob(chunks, { type: recorder.mimeType || type });
        setClip({ blob, url: URL.createObjectURL(blob) });
        setState('recorded');
      };
      setSeconds(0);
      const timer = setInterval(() => setSeconds((n) => n + 1), 1000);
      rec.current = { recorder, stream, timer };
      recorder.start(250);
      setState('recording');
    } catch (e) {
      setError(e instanceof DOMException && e.name === 'NotAllowedError' ? t('voice.denied') : t('voice.micFailed', { message: e instanceof Error ? e.message : String(e) }));
    }
  };
  const stop = () => {
    if (!rec.current) return;
    clearInterval(rec.current.timer);
    rec.current.recorder.stop();
    rec.current = null;
  };

  return (
    <div>
      <div className={s.row}>
        {state !== 'recording' ? (
          <Button onClick={() => void start()} disabled={disabled}>
            {state === 'recorded' ? t('voice.recordAgain') : t('voice.record')}
          </Button>
        ) : (
          <>
            <Button appearance="primary" onClick={stop}>
              {t('voice.stop')}
            </Button>
            <Text className={s.rec} role="status">
              {t('voice.recording', { n: seconds })}
            </Text>
          </>
        )}
        {clip && state === 'recorded' ? (
          <>
            <audio src={clip.url} controls aria-label={t('voice.playback')} />
            <Button appearance="primary" disabled={disabled} onClick={() => onRecorded(clip.blob, `recording.${clip.blob.type.includes('mp4') ? 'm4a' : clip.blob.type.includes('ogg') ? 'ogg' : 'webm'}`)}>
              {t('voice.useRecording')}
            </Button>
          </>
        ) : null}
      </div>
      {error ? <Text role="alert">{error}</Text> : null}
    </div>
  );
}
