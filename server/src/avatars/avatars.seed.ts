import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Container } from '../container';
import { addSeedStep, DEMO } from '../seed';
import { newKey } from '../storage/storage';
import { normalizePhoto } from './avatar-photo';

/** The public-domain demo photo shipped with the server (see assets/demo/PROVENANCE.md). */
export const DEMO_PHOTO_PATH = fileURLToPath(new URL('../../assets/demo/portrait-astronaut.png', import.meta.url));
export const DEMO_CONSENT =
  'Public-domain NASA portrait (Eileen Collins) used only to demonstrate the product; see assets/demo/PROVENANCE.md.';

// Decoded once per process: every test environment seeds the demo, and re-encoding costs ~0.1-0.3 s.
let demoPhoto: ReturnType<typeof normalizePhoto> | undefined;
const loadDemoPhoto = () =>
  (demoPhoto ??= fs.readFile(DEMO_PHOTO_PATH).then((b) => normalizePhoto(b, 'Demo avatar')));

/**
 * Seeds "Demo Avatar" for the demo admin: row, photo in storage, consent; queues preparation when the
 * queue is running. Idempotent: re-stores the photo only when it is missing from storage.
 */
export async function seedDemoAvatar(c: Container, ids: { tenantId: string; adminId: string }): Promise<void> {
  let avatar = await c.avatars.get(ids.tenantId, DEMO.avatarId);
  avatar ??= await c.avatars.insert({
    id: DEMO.avatarId,
    tenant_id: ids.tenantId,
    owner_id: ids.adminId,
    name: 'Demo Avatar',
    language: 'en',
    consent: JSON.stringify({ by: ids.adminId, at: new Date().toISOString(), statement: DEMO_CONSENT }),
  });
  const stored = avatar.photo_key ? await c.storage.stat(avatar.photo_key) : null;
  if (!stored) {
    const photo = await loadDemoPhoto();
    const key = newKey(ids.tenantId, 'avatars', photo.ext);
    await c.storage.put(key, photo.buffer, photo.mime);
    avatar =
      (await c.avatars.update(ids.tenantId, DEMO.avatarId, {
        photo_key: key,
        photo_width: photo.width,
        photo_height: photo.height,
        photo_mime: photo.mime,
        prepared: null,
        prepared_at: null,
        status: 'processing',
      })) ?? avatar;
  }
  // Seeding runs before the queue starts in tests; there the demo avatar waits for POST .../generate.
  const queueRunning = await c.queue.ping().then(
    () => true,
    () => false,
  );
  if (queueRunning && avatar.status === 'processing' && !avatar.prepared) {
    await c.queue.send('prepare-avatar', { avatarId: DEMO.avatarId, tenantId: ids.tenantId });
  }
}

addSeedStep(seedDemoAvatar);
