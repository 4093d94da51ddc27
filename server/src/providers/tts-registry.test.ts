import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { AppError } from '../errors';
import { AudioTools } from './audio.ffmpeg';
import { createTtsEngine, ttsFor } from './tts-registry';

describe('ttsFor', () => {
  const cases = [
    { name: 'uses espeak when nobody chooses', avatar: {}, video: {}, want: { engine: 'espeak' } },
    { name: "uses the avatar's engine and its voice settings", avatar: { engine: 'openai', voice: 'coral', rate: 1.1 }, video: {}, want: { engine: 'openai', voice: 'coral', rate: 1.1 } },
    { name: "lets the video's tts option override the avatar's engine", avatar: { engine: 'openai', voice: 'coral' }, video: { tts: { engine: 'elevenlabs' } }, want: { engine: 'elevenlabs' } },
    { name: "takes the video's voice over the avatar's", avatar: { engine: 'openai', voice: 'coral' }, video: { tts: { engine: 'openai', voice: 'nova' } }, want: { engine: 'openai', voice: 'nova' } },
    { name: 'applies espeak rate and pitch from an avatar without an engine only to espeak', avatar: { voice: 'vi', rate: 160, pitch: 40 }, video: {}, want: { engine: 'espeak', voice: 'vi', rate: 160, pitch: 40 } },
    { name: 'does not pass espeak words-per-minute to a cloud engine', avatar: { rate: 160 }, video: { tts: { engine: 'openai' } }, want: { engine: 'openai' } },
  ] as const;
  for (const c of cases) {
    it(c.name, () => expect(ttsFor({ voice_settings: { ...c.avatar } }, c.video)).toEqual(c.want));
  }

  it('honours TTS_ENGINE as the default', () => {
    expect(ttsFor({ voice_settings: {} }, {}, 'elevenlabs')).toEqual({ engine: 'elevenlabs' });
  });
});

describe('createTtsEngine', () => {
  const audio = new AudioTools({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
  const config = loadConfig({ NODE_ENV: 'test' });

  it('builds espeak without any key, and each cloud engine once its key is set', () => {
    expect(createTtsEngine('espeak', { config, audio, espeak: { kind: 'none' } }).name).toBe('espeak');
    const keyed = loadConfig({ NODE_ENV: 'test', OPENAI_API_KEY: 'sk-x', ELEVENLABS_API_KEY: 'xi-x' });
    expect(createTtsEngine('openai', { config: keyed, audio, espeak: { kind: 'none' } }).name).toBe('openai');
    expect(createTtsEngine('elevenlabs', { config: keyed, audio, espeak: { kind: 'none' } }).name).toBe('elevenlabs');
  });

  it('answers 422 tts_unavailable naming the variable to set when a cloud key is missing', () => {
    for (const [name, variable] of [['openai', 'OPENAI_API_KEY'], ['elevenlabs', 'ELEVENLABS_API_KEY']] as const) {
      const err = (() => {
        try {
          createTtsEngine(name, { config, audio, espeak: { kind: 'none' } });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('tts_unavailable');
      expect((err as AppError).message).toContain(variable);
    }
  });
});
