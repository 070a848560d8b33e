/**
 * The Grad-CAM golden numbers (tests/fixtures/golden/gradcam-golden.json, written by
 * scripts/golden/make_gradcam_golden.py: float64 torchvision, hooks on layer4) and how a map the lab
 * computed is compared with them. Shared by the Node golden test (WASM) and the browser golden page
 * (WebGPU), so both hold the lab to the same bar.
 */
import type * as tf from '@tensorflow/tfjs';
import raw from '../../../tests/fixtures/golden/gradcam-golden.json';
import type { GradCam } from '../interpret/grad-cam.ts';
import { coarseFineImages } from './golden-model.ts';

export interface GradCamGoldenMap {
  readonly classIndex: number;
  /** null: the predicted class was asked for. */
  readonly requested: number | null;
  readonly map: readonly (readonly number[])[];
  readonly upsampledRows: readonly number[];
  readonly upsampled: readonly (readonly number[])[];
  readonly upsampledSum: number;
  readonly torchFloat32MaxRel: { readonly map: number; readonly upsampled: number };
}

export interface GradCamGolden {
  readonly meta: {
    readonly inputSeed: number;
    readonly inputShapeNCHW: [number, number, number, number];
    readonly inputCells: number;
    readonly coarseRange: [number, number];
    readonly fineRange: [number, number];
    readonly fineScale: number;
  };
  readonly logits: readonly number[];
  readonly maps: readonly GradCamGoldenMap[];
}

export const GRAD_CAM_GOLDEN = raw as unknown as GradCamGolden;

/** The bar: maps equal within 1e-4 of their maximum. */
export const GRAD_CAM_TOLERANCE = 1e-4;

/** The golden image (NHWC, one image), built from the recipe the PyTorch script used. */
export function gradCamGoldenImage(): tf.Tensor4D {
  const m = GRAD_CAM_GOLDEN.meta;
  return coarseFineImages({
    seed: m.inputSeed,
    shapeNCHW: m.inputShapeNCHW,
    cells: m.inputCells,
    coarseRange: m.coarseRange,
    fineRange: m.fineRange,
    fineScale: m.fineScale,
  });
}

/** max |a − e| / max |e| over paired values. */
export function relativeToMax(actual: readonly number[], expected: readonly number[]): number {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...expected.map((e, i) => Math.abs((actual[i] ?? NaN) - e))) / scale;
}

/** How far one computed Grad-CAM is from PyTorch's, each relative to the golden maximum (or sum). */
export interface GradCamErrors {
  readonly classIndex: number;
  readonly map: number;
  readonly upsampled: number;
  readonly sum: number;
  readonly logits: number;
}

/** Compares `cam` with the golden `expected` at layer4's resolution, on the sampled upsampled rows, by sum and by logits. */
export function gradCamErrors(cam: GradCam, expected: GradCamGoldenMap): GradCamErrors {
  const rows = expected.upsampledRows;
  const sampled = rows.flatMap((y) => rows.map((x) => cam.upsampled[y * cam.inputWidth + x] ?? NaN));
  const sum = cam.upsampled.reduce((a, b) => a + b, 0);
  return {
    classIndex: cam.classIndex,
    map: relativeToMax(Array.from(cam.map), expected.map.flat()),
    upsampled: relativeToMax(sampled, expected.upsampled.flat()),
    sum: Math.abs(sum - expected.upsampledSum) / expected.upsampledSum,
    logits: relativeToMax(Array.from(cam.logits), GRAD_CAM_GOLDEN.logits),
  };
}
