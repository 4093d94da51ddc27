/* Test support (not a test): a real short MP4, poster and GIF rendered with ffmpeg and stored as a completed video. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Container } from '../container';
import { requireFfmpeg, resolveBinaries } from '../media/binaries';
import { newKey } from '../storage/storage';

const run = promisify(execFile);

export interface Media {
  video: string;
  poster: string;
  gif: string;
  photo: string;
  dir: string;
}

/** Renders a `seconds`-long 320x240 H.264/AAC clip (faststart), a JPEG poster, a GIF and a square photo. */
export async function renderTestMedia(seconds = 4): Promise<Media> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mvs-watch-'));
  const m = { video: `${dir}/v.mp4`, poster: `${dir}/p.jpg`, gif: `${dir}/t.gif`, photo: `${dir}/a.jpg`, dir };
  const ff = requireFfmpeg(resolveBinaries(process.env));
  await run(ff, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=320x240:rate=25`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', m.video]);
  await run(ff, ['-v', 'error', '-y', '-i', m.video, '-frames:v', '1', m.poster]);
  await run(ff, ['-v', 'error', '-y', '-t', '1', '-i', m.video, '-vf', 'fps=5,scale=160:-1', m.gif]);
  await run(ff, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x336699:size=96x96', '-frames:v', '1', m.photo]);
  return m;
}

export interface StoredVideo {
  id: string;
  slug: string;
  tenantId: string;
  ownerId: string;
}

/** Inserts an avatar and a video row for the tenant of `ownerEmail`, with the media stored through the app's storage. */
export async function storeVideo(
  c: Container,
  media: Media,
  ownerEmail: string,
  patch: Partial<{ status: 'queued' | 'rendering' | 'completed' | 'failed'; title: string; cta_label: string | null; cta_url: string | null; language: string; deleted_at: Date; script: string }> = {},
): Promise<StoredVideo> {
  const owner = await c.db.selectFrom('users').select(['id', 'tenant_id']).where('email', '=', ownerEmail).executeTakeFirstOrThrow();
  const t = owner.tenant_id;
  const keys = { video: newKey(t, 'videos', 'mp4'), poster: newKey(t, 'posters', 'jpg'), gif: newKey(t, 'gifs', 'gif'), photo: newKey(t, 'avatars', 'jpg') };
  await c.storage.putFile(keys.video, media.video, 'video/mp4');
  await c.storage.putFile(keys.poster, media.poster, 'image/jpeg');
  await c.storage.putFile(keys.gif, media.gif, 'image/gif');
  await c.storage.putFile(keys.photo, media.photo, 'image/jpeg');
  const avatar = await c.db
    .insertInto('avatars')
    .values({ tenant_id: t, owner_id: owner.id, name: 'Watch test', photo_key: keys.photo, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const status = patch.status ?? 'completed';
  const done = status === 'completed';
  const slug = randomBytes(16).toString('base64url');
  const row = await c.db
    .insertInto('videos')
    .values({
      tenant_id: t,
      owner_id: owner.id,
      avatar_id: avatar.id,
      title: patch.title ?? 'Quarterly plan',
      script: patch.script ?? 'Hi there, here is a short update on the quarterly plan.',
      language: patch.language ?? 'en',
      renderer: 'static',
      status,
      progress: done ? 100 : 40,
      video_key: done ? keys.video : null,
      poster_key: done ? keys.poster : null,
      gif_key: done ? keys.gif : null,
      width: 320,
      height: 240,
      duration_sec: 4,
      slug,
      cta_label: patch.cta_label === undefined ? 'Book a call' : patch.cta_label,
      cta_url: patch.cta_url === undefined ? 'https://example.com/book' : patch.cta_url,
      updated_at: new Date(),
      completed_at: done ? new Date() : null,
      deleted_at: patch.deleted_at ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug, tenantId: t, ownerId: owner.id };
}
