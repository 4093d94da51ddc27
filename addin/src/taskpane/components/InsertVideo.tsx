import { Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState } from 'react';
import type { Video } from '@mvs/shared/api/api-types';
import { videoInsertBlock } from '@mvs/shared/email/video-snippet';
import type { ItemMode } from '../../office/mailbox';
import { describeError, useI18n, useServices } from '../services';

/** Compose: insert the block at the cursor. Read: open a reply form that holds the block. */
export function InsertVideo({ video, mode, fail, size }: { video: Video; mode: ItemMode; fail(e: unknown): string; size?: 'small' | 'medium' }) {
  const { mailbox } = useServices();
  const { t } = useI18n();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const insert = async () => {
    setResult(null);
    try {
      const block = videoInsertBlock(video);
      if (mode === 'compose') {
        const how = await mailbox.insertBlock(block);
        setResult({ ok: true, text: how === 'html' ? t('video.inserted') : t('video.insertedText') });
      } else {
        await mailbox.replyWithBlock(block);
        setResult({ ok: true, text: t('video.replyOpened') });
      }
    } catch (e) {
      setResult({ ok: false, text: t('video.insertFailed', { message: e instanceof Error ? describeError(e, t) : fail(e) }) });
    }
  };

  return (
    <>
      <Button appearance="primary" size={size} onClick={insert}>
        {mode === 'compose' ? (size === 'small' ? t('recent.insert') : t('video.insert')) : t('video.reply')}
      </Button>
      {result && (
        <MessageBar intent={result.ok ? 'success' : 'error'}>
          <MessageBarBody>{result.text}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
