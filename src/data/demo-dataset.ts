/**
 * The built-in demo dataset: 48×48 grayscale cartoon faces drawn in code, one class per FER2013
 * expression, so the app can be tried (and tested) without downloading anything. Expressions
 * differ in mouth curve and openness, brow angle and height, and eye size; seeded jitter in
 * position, scale, tilt, shading and noise keeps the task learnable but not trivial.
 */
import type { SplitName } from '../shared/types.ts';
import { assembleDataset, type LabelledImage } from './assemble.ts';
import { FER2013_CLASSES, FER2013_SIDE } from './csv-import.ts';
import type { Dataset } from './dataset.ts';
import { createCanvas, fillEllipse, quadraticPoints, strokePolyline } from './demo-raster.ts';
import { createRandom, uniform, type Random } from '../shared/random.ts';

/** The demo's name, as runs trained on it remember it. */
export const DEMO_DATASET_NAME = 'Demo faces';

/** Images per class in each split of the demo set: 7 × (40 + 10 + 10) = 420 images. */
export const DEMO_COUNTS: Readonly<Record<SplitName, number>> = { train: 40, validation: 10, test: 10 };

interface Expression {
  /** Vertical offset of the mouth's middle relative to its corners, px; positive = smile. */
  readonly curve: number;
  /** Half-height of the open mouth, px (0 = closed). */
  readonly open: number;
  readonly mouthWidth: number;
  /** Brow slope: positive lowers the inner ends (frown), negative raises them (worry). */
  readonly browTilt: number;
  /** How far the brows are raised, px. */
  readonly browRaise: number;
  /** Eye height scale (1 = neutral). */
  readonly eyeOpen: number;
  /** Raises the left mouth corner, px (disgust's sneer). */
  readonly sneer: number;
}

/** Expression parameters in FER2013 order (angry, disgust, fear, happy, sad, surprise, neutral). */
const EXPRESSIONS: readonly Expression[] = [
  { curve: -1, open: 0, mouthWidth: 9, browTilt: 0.5, browRaise: -1.5, eyeOpen: 0.7, sneer: 0 },
  { curve: -2, open: 0, mouthWidth: 8, browTilt: 0.25, browRaise: -1, eyeOpen: 0.55, sneer: 2.5 },
  { curve: -1, open: 2.2, mouthWidth: 10, browTilt: -0.35, browRaise: 2.5, eyeOpen: 1.35, sneer: 0 },
  { curve: 4, open: 0.8, mouthWidth: 12, browTilt: 0, browRaise: 0.5, eyeOpen: 0.85, sneer: 0 },
  { curve: -3.5, open: 0, mouthWidth: 9, browTilt: -0.5, browRaise: 1, eyeOpen: 0.9, sneer: 0 },
  { curve: 0, open: 4.5, mouthWidth: 6, browTilt: 0, browRaise: 4, eyeOpen: 1.45, sneer: 0 },
  { curve: 0, open: 0, mouthWidth: 10, browTilt: 0, browRaise: 0, eyeOpen: 1, sneer: 0 },
];

/** Approximately normal noise (sum of uniforms), mean 0, standard deviation `sd`. */
function gaussian(random: Random, sd: number): number {
  return (random() + random() + random() + random() - 2) * sd * 1.73;
}

/** Draws one face for `expression`; every random draw comes from `random`, in a fixed order. */
function drawFace(expression: Expression, random: Random): Uint8Array {
  const e = expression;
  const canvas = createCanvas(FER2013_SIDE, uniform(random, 40, 110));
  const cx = 24 + gaussian(random, 1.5);
  const cy = 25 + gaussian(random, 1.5);
  const scale = uniform(random, 0.88, 1.08);
  const tilt = gaussian(random, 0.08);
  const skin = uniform(random, 140, 200);
  const ink = uniform(random, 20, 60);
  const jitter = (value: number, sd: number): number => value + gaussian(random, sd);
  const at = (x: number, y: number): [number, number] => [
    cx + scale * (x * Math.cos(tilt) - y * Math.sin(tilt)),
    cy + scale * (x * Math.sin(tilt) + y * Math.cos(tilt)),
  ];

  fillEllipse(canvas, cx, cy, 16 * scale, 20 * scale, tilt, skin);
  const eyeOpen = jitter(e.eyeOpen, 0.1);
  const browRaise = jitter(e.browRaise, 0.5);
  const browTilt = jitter(e.browTilt, 0.08);
  for (const side of [-1, 1]) {
    const [ex, ey] = at(side * 6.5, -4);
    fillEllipse(canvas, ex, ey, 3 * scale, Math.max(0.6, 2 * eyeOpen) * scale, tilt, ink);
    const inner = at(side * 2.5, -9 - browRaise + browTilt * 6);
    const outer = at(side * 10, -9.5 - browRaise - browTilt * 2);
    strokePolyline(canvas, [...inner, ...outer], 1.6 * scale, ink);
  }
  strokePolyline(canvas, [...at(0, -1), ...at(0.8, 4)], 1, skin * 0.75);

  const width = jitter(e.mouthWidth, 0.6) / 2;
  const curve = jitter(e.curve, 0.4);
  const open = Math.max(0, jitter(e.open, 0.3));
  const left = at(-width, 10 - e.sneer);
  const right = at(width, 10);
  const control = at(0, 10 + curve * 2);
  if (open > 0.5) {
    const [mx, my] = at(0, 10 + curve * 0.6);
    fillEllipse(canvas, mx, my, width * 0.85 * scale, open * scale, tilt, ink);
  }
  strokePolyline(canvas, quadraticPoints(...left, ...control, ...right), 1.5 * scale, ink);

  const pixels = new Uint8Array(FER2013_SIDE * FER2013_SIDE);
  const noise = uniform(random, 3, 10);
  canvas.values.forEach((value, i) => {
    pixels[i] = Math.max(0, Math.min(255, Math.round(value + gaussian(random, noise))));
  });
  return pixels;
}

/**
 * Generates the demo dataset: the 7 FER2013 classes in FER2013 order, `DEMO_COUNTS` images per
 * class per split (validation is generated, not carved). Same seed → identical pixels.
 */
export function createDemoDataset(seed: number): Dataset {
  const startedAt = Date.now();
  const random = createRandom(seed);
  const images: LabelledImage[] = [];
  for (const split of ['train', 'validation', 'test'] as const) {
    FER2013_CLASSES.forEach((className, classIndex) => {
      const expression = EXPRESSIONS[classIndex] as Expression;
      for (let n = 0; n < DEMO_COUNTS[split]; n++) {
        const pixels = drawFace(expression, random);
        images.push({
          split,
          className,
          path: `demo/${split}/${className}/${n}.png`,
          image: { width: FER2013_SIDE, height: FER2013_SIDE, channels: 1, pixels },
        });
      }
    });
  }
  return assembleDataset(
    {
      name: DEMO_DATASET_NAME,
      format: 'demo',
      images,
      classFolders: new Map(),
      splitsPresent: new Set(['train', 'validation', 'test']),
      skipped: [],
      warnings: [],
      fixedClassOrder: FER2013_CLASSES,
    },
    { validationFraction: 0, seed, maxUncompressedBytes: 0 },
    startedAt,
  );
}
