import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import type * as Tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

export interface FaceModels {
  faceapi: typeof FaceApi;
  tf: typeof Tf;
  /** Milliseconds spent loading the backend and weights (0 when already loaded). */
  loadMs: number;
}

let loading: Promise<FaceModels> | null = null;

/** Folder of face-api's bundled weights (nothing is fetched at run time). */
export function faceModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** Folder of tfjs' .wasm binaries; the package's own default would point at a CDN. */
export function tfWasmDir(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

async function load(): Promise<FaceModels> {
  const t0 = performance.now();
  // The node-wasm bundle is CommonJS and pulls @tensorflow/tfjs + tfjs-backend-wasm (no native TensorFlow).
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  const tf = faceapi.tf as unknown as typeof Tf;
  wasm.setWasmPaths(tfWasmDir());
  await tf.setBackend('wasm');
  await tf.ready();
  const dir = faceModelDir();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(dir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
  // Warm-up: the first inference of each net is several times slower than later ones (kernel set-up).
  const frame = tf.zeros([416, 416, 3], 'int32') as Tf.Tensor3D;
  const face = tf.zeros([112, 112, 3], 'int32') as Tf.Tensor3D;
  try {
    await faceapi.detectAllFaces(frame as never, new faceapi.TinyFaceDetectorOptions({ inputSize: 416 }));
    await faceapi.nets.faceLandmark68Net.detectLandmarks(face as never);
  } finally {
    frame.dispose();
    face.dispose();
  }
  return { faceapi, tf, loadMs: performance.now() - t0 };
}

/** Loads the face models once per process (lazy singleton); later calls resolve at once with loadMs 0. */
export async function faceModels(): Promise<FaceModels> {
  if (loading) return { ...(await loading), loadMs: 0 };
  loading = load();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
