import { describe, expect, it } from 'vitest';
import type { Point } from '../prepared';
import { isPlausibleFace, judgeFaces, measureFace, type FaceCandidate } from './face-geometry';

// Astronaut landmarks (face-api, tiny detector) form a realistic frontal template; tests deform it.
import { ASTRONAUT_LANDMARKS } from './face-template.fixture';

const candidate = (landmarks: Point[], box = { x: 163, y: 76, width: 116, height: 111 }): FaceCandidate => ({
  score: 0.97,
  box,
  landmarks,
  detector: 'tiny',
});
const shift = (ls: Point[], dx: number, dy = 0) => ls.map((p) => ({ x: p.x + dx, y: p.y + dy }));
const scale = (ls: Point[], k: number) => ls.map((p) => ({ x: p.x * k, y: p.y * k }));
const rotate = (ls: Point[], deg: number) => {
  const a = (deg * Math.PI) / 180;
  return ls.map((p) => ({ x: p.x * Math.cos(a) - p.y * Math.sin(a), y: p.x * Math.sin(a) + p.y * Math.cos(a) }));
};
/** Moves the cheek outline sideways against the nose, as when the head turns. */
const turn = (ls: Point[], dx: number) => ls.map((p, i) => (i <= 16 ? { x: p.x - dx, y: p.y } : p));

describe('face geometry', () => {
  it('measures the astronaut as frontal, upright and face-shaped', () => {
    const m = measureFace(ASTRONAUT_LANDMARKS, 116);
    expect(m.yaw).toBeGreaterThan(0.45);
    expect(m.yaw).toBeLessThan(0.55);
    expect(Math.abs(m.rollDeg)).toBeLessThan(5);
    expect(m.widthPx).toBeGreaterThan(90);
    expect(Math.abs(m.mouthCentrePx.x - 222) + Math.abs(m.mouthCentrePx.y - 147)).toBeLessThan(3);
    expect(isPlausibleFace(m)).toBe(true);
  });

  it.each([
    ['mouth squashed up towards the eyes (cat-like)', ASTRONAUT_LANDMARKS.map((p, i) => (i >= 48 ? { x: p.x, y: p.y - 20 } : p))],
    ['chin right under the mouth', ASTRONAUT_LANDMARKS.map((p, i) => (i >= 6 && i <= 10 ? { x: p.x, y: p.y - 30 } : p))],
    ['nose below the mouth', ASTRONAUT_LANDMARKS.map((p, i) => (i >= 27 && i <= 35 ? { x: p.x, y: p.y + 40 } : p))],
    ['mouth far to one side', ASTRONAUT_LANDMARKS.map((p, i) => (i >= 48 ? { x: p.x + 30, y: p.y } : p))],
  ])('refuses landmarks that are not face-shaped: %s', (_name, ls) => {
    expect(isPlausibleFace(measureFace(ls, 116))).toBe(false);
  });

  it.each([
    ['one frontal face', [candidate(ASTRONAUT_LANDMARKS)], 80, 'ok'],
    ['nothing', [], 80, 'no_face'],
    ['a non-face shape only', [candidate(ASTRONAUT_LANDMARKS.map((p, i) => (i >= 48 ? { x: p.x, y: p.y - 20 } : p)))], 80, 'no_face'],
    ['two faces of similar size', [candidate(ASTRONAUT_LANDMARKS), candidate(shift(ASTRONAUT_LANDMARKS, 300), { x: 463, y: 76, width: 116, height: 111 })], 80, 'multiple_faces'],
    ['a big face and a tiny one in the background', [candidate(ASTRONAUT_LANDMARKS), candidate(scale(ASTRONAUT_LANDMARKS, 0.3), { x: 49, y: 23, width: 35, height: 33 })], 80, 'ok'],
    ['a face narrower than the minimum', [candidate(ASTRONAUT_LANDMARKS)], 160, 'face_too_small'],
    ['a face turned sideways', [candidate(turn(ASTRONAUT_LANDMARKS, 25))], 80, 'face_not_frontal'],
    ['a head tilted by 40°', [candidate(rotate(ASTRONAUT_LANDMARKS, 40))], 80, 'face_not_frontal'],
    ['a head tilted by 15°', [candidate(rotate(ASTRONAUT_LANDMARKS, 15))], 80, 'ok'],
  ] as const)('judges %s', (_name, cands, min, expected) => {
    const v = judgeFaces([...cands], min);
    expect(v.ok ? 'ok' : v.reason).toBe(expected);
  });
});
