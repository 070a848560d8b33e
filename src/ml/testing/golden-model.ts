import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../model.ts';
import { mulberry32 } from '../../shared/random.ts';
import { buildResNet50 } from '../resnet50.ts';
import type { TensorInitializer } from '../resnet50-init.ts';
import type { TensorSpec } from '../resnet50-spec.ts';
import { loadGolden } from './golden.ts';

/**
 * [lo, hi) of the uniform draw for one tensor. Mirrors init_range() in
 * scripts/golden/make_golden.py; change both or neither.
 */
export function goldenInitRange(spec: TensorSpec): [number, number] {
  const s = spec.shape;
  switch (spec.kind) {
    case 'fc-weight': {
      const b = 1 / Math.sqrt(s[1] ?? 1);
      return [-b, b];
    }
    case 'conv': {
      const b = Math.sqrt(3 / ((s[1] ?? 1) * (s[2] ?? 1) * (s[3] ?? 1)));
      return [-b, b];
    }
    case 'bn-weight':
      // Small residual-branch gains keep train-mode gradients well conditioned (see make_golden.py).
      return spec.name.endsWith('bn3.weight') ? [0.1, 0.3] : [0.8, 1.2];
    case 'bn-var':
      return [0.5, 1.5];
    case 'fc-bias':
    case 'bn-bias':
    case 'bn-mean':
      return [-0.1, 0.1];
  }
}

/** The golden run's weights: one mulberry32 stream, state_dict order, torch layout. */
export function goldenInitializer(seed = loadGolden().meta.paramSeed): TensorInitializer {
  const rng = mulberry32(seed);
  return (spec) => {
    const [lo, hi] = goldenInitRange(spec);
    return rng.uniform(
      spec.shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    );
  };
}

/** A fresh ResNet50 holding exactly the golden run's starting weights. Caller disposes it. */
export function buildGoldenResNet50(): ResNet50 {
  return buildResNet50({ numClasses: loadGolden().meta.numClasses, initializer: goldenInitializer() });
}

/** How make_golden.py's images are drawn: coarse cells plus `fineScale` × fine noise, NCHW, from one mulberry32 stream. */
export interface CoarseFineImageSpec {
  readonly seed: number;
  readonly shapeNCHW: readonly [number, number, number, number];
  readonly cells: number;
  readonly coarseRange: readonly [number, number];
  readonly fineRange: readonly [number, number];
  readonly fineScale: number;
}

/**
 * Images as make_input() in make_golden.py builds them: coarse cells plus a scaled fine noise,
 * both drawn NCHW from one stream, summed in float64 and rounded once to float32; then transposed
 * to NHWC. Caller disposes.
 */
export function coarseFineImages(spec: CoarseFineImageSpec): tf.Tensor4D {
  const { seed, shapeNCHW, cells, coarseRange, fineRange, fineScale } = spec;
  const [n, c, h, w] = shapeNCHW;
  const rng = mulberry32(seed);
  const coarse = rng.uniform(n * c * cells * cells, coarseRange[0], coarseRange[1]);
  const fine = rng.uniform(n * c * h * w, fineRange[0], fineRange[1]);
  const data = new Float32Array(fine.length);
  const cellH = h / cells;
  const cellW = w / cells;
  for (let plane = 0; plane < n * c; plane++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (plane * h + y) * w + x;
        const cell = (plane * cells + Math.floor(y / cellH)) * cells + Math.floor(x / cellW);
        data[i] = (coarse[cell] ?? NaN) + fineScale * (fine[i] ?? NaN);
      }
    }
  }
  return tf.tidy(() => tf.tensor4d(data, [n, c, h, w]).transpose([0, 2, 3, 1]) as tf.Tensor4D);
}

/** The golden input batch of make_golden.py, NHWC [2, 64, 64, 3]. Caller disposes. */
export function goldenInput(): tf.Tensor4D {
  const { inputSeed, inputShapeNCHW, inputCells, coarseRange, fineRange, fineScale } = loadGolden().meta;
  return coarseFineImages({ seed: inputSeed, shapeNCHW: inputShapeNCHW, cells: inputCells, coarseRange, fineRange, fineScale });
}

/** The golden labels as a one-hot float32 [2, numClasses]. Caller disposes. */
export function goldenOneHotLabels(): tf.Tensor2D {
  const { labels, numClasses } = loadGolden().meta;
  return tf.tidy(() => tf.oneHot(tf.tensor1d([...labels], 'int32'), numClasses).toFloat() as tf.Tensor2D);
}

/**
 * A tf-layout param or gradient of `name` read back in torch layout (conv HWIO → OIHW, fc.weight
 * [in, out] → [out, in]), to compare with golden summaries. Synchronous: tests only.
 */
export function torchLayoutData(name: string, t: tf.Tensor): Float32Array {
  return tf
    .tidy(() => {
      if (t.rank === 4) return t.transpose([3, 2, 0, 1]);
      if (name === 'fc.weight') return t.transpose([1, 0]);
      return t.clone();
    })
    .dataSync() as Float32Array;
}
