import sharp from 'sharp';
import { faceModels } from './face-models';
import { judgeFaces, type FaceCandidate, type FaceVerdict } from './face-geometry';

/** A decoded photo: packed RGB, EXIF orientation applied. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Detection runs on at most this many pixels on the long side; landmarks are mapped back to the source. */
const DETECT_MAX_SIDE = 1600;

/** Decodes any sharp-readable photo into RGB for detection (downscaled when large) plus its source size. */
export async function decodeForDetection(photo: Buffer): Promise<{ image: RgbImage; scale: number; width: number; height: number }> {
  const meta = await sharp(photo).metadata();
  const { width, height } = meta.autoOrient;
  const scale = Math.min(1, DETECT_MAX_SIDE / Math.max(width, height));
  let pipeline = sharp(photo).autoOrient();
  if (scale < 1) pipeline = pipeline.resize(Math.round(width * scale), Math.round(height * scale), { kernel: 'lanczos3', fit: 'fill' });
  const { data, info } = await pipeline
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, scale: info.width / width, width, height };
}

/** Runs one detector plus 68 landmarks on every face in the image. */
export async function detectFaces(image: RgbImage, detector: 'tiny' | 'ssd'): Promise<FaceCandidate[]> {
  const { faceapi, tf } = await faceModels();
  const tensor = tf.tensor3d(new Int32Array(image.data), [image.height, image.width, 3], 'int32');
  try {
    const options =
      detector === 'tiny'
        ? new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 })
        : new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
    const found = await faceapi.detectAllFaces(tensor as never, options).withFaceLandmarks();
    return found.map((f) => ({
      score: f.detection.score,
      box: { x: f.detection.box.x, y: f.detection.box.y, width: f.detection.box.width, height: f.detection.box.height },
      landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
      detector,
    }));
  } finally {
    tensor.dispose();
  }
}

const toSource = (c: FaceCandidate, scale: number): FaceCandidate =>
  scale === 1
    ? c
    : {
        ...c,
        box: { x: c.box.x / scale, y: c.box.y / scale, width: c.box.width / scale, height: c.box.height / scale },
        landmarks: c.landmarks.map((p) => ({ x: p.x / scale, y: p.y / scale })),
      };

export interface LocateResult {
  verdict: FaceVerdict;
  /** Detector(s) that ran, in order. */
  tried: Array<'tiny' | 'ssd'>;
  ms: number;
}

/**
 * Finds the one usable face: the tiny detector first, SSD as a second attempt when tiny finds nothing
 * face-shaped. Coordinates are in the source photo's pixels (after EXIF rotation).
 */
export async function locateFace(image: RgbImage, scale: number, minFaceWidthPx: number): Promise<LocateResult> {
  const t0 = performance.now();
  const tried: Array<'tiny' | 'ssd'> = ['tiny'];
  let verdict = judgeFaces((await detectFaces(image, 'tiny')).map((c) => toSource(c, scale)), minFaceWidthPx);
  if (!verdict.ok && verdict.reason === 'no_face') {
    tried.push('ssd');
    verdict = judgeFaces((await detectFaces(image, 'ssd')).map((c) => toSource(c, scale)), minFaceWidthPx);
  }
  return { verdict, tried, ms: performance.now() - t0 };
}
