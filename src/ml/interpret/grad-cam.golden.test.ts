import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import raw from '../../../tests/fixtures/golden/gradcam-golden.json';
import type { ResNet50 } from '../model.ts';
import { buildGoldenResNet50, coarseFineImages } from '../testing/golden-model.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { computeGradCam, gradCamTensors } from './grad-cam.ts';

/** tests/fixtures/golden/gradcam-golden.json, written by scripts/golden/make_gradcam_golden.py (float64 torchvision, hooks on layer4). */
interface GradCamGolden {
  readonly meta: {
    readonly inputSeed: number;
    readonly inputShapeNCHW: [number, number, number, number];
    readonly inputCells: number;
    readonly coarseRange: [number, number];
    readonly fineRange: [number, number];
    readonly fineScale: number;
  };
  readonly logits: readonly number[];
  readonly maps: readonly {
    readonly classIndex: number;
    /** null: the predicted class was asked for. */
    readonly requested: number | null;
    readonly map: readonly (readonly number[])[];
    readonly upsampledRows: readonly number[];
    readonly upsampled: readonly (readonly number[])[];
    readonly upsampledSum: number;
    readonly torchFloat32MaxRel: { readonly map: number; readonly upsampled: number };
  }[];
}

const golden = raw as unknown as GradCamGolden;
/** The bar: maps equal within 1e-4 of their maximum. */
const TOL = 1e-4;

/** max |a − e| / max |e| over paired values. */
function relativeToMax(actual: readonly number[], expected: readonly number[]): number {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...expected.map((e, i) => Math.abs((actual[i] ?? NaN) - e))) / scale;
}

/** On the lab's CPU kernels (wasm); tfjs' plain cpu backend agrees too (1.4e-6) but takes 12 s more. */
describe('Grad-CAM vs torchvision with hooks on layer4 (wasm, CPU kernels)', () => {
  const backend = 'wasm';
  let model: ResNet50;
  let image: tf.Tensor4D;
  beforeAll(async () => {
    await useWasmBackend();
    model = buildGoldenResNet50();
    const m = golden.meta;
    image = coarseFineImages({
      seed: m.inputSeed,
      shapeNCHW: m.inputShapeNCHW,
      cells: m.inputCells,
      coarseRange: m.coarseRange,
      fineRange: m.fineRange,
      fineScale: m.fineScale,
    });
  });
  afterAll(() => {
    model.dispose();
    image.dispose();
  });

  it.each(golden.maps.map((m) => [m.requested === null ? 'predicted' : `class ${m.requested}`, m] as const))(
    'matches the %s map at layer4 and upsampled to the image',
    async (_, expected) => {
      const before = tf.memory().numTensors;
      const cam = await computeGradCam(model, image, expected.requested);
      expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
      expect(cam.classIndex).toBe(expected.classIndex);
      expect([cam.height, cam.width, cam.inputHeight, cam.inputWidth]).toEqual([4, 4, 128, 128]);
      const mapErr = relativeToMax(Array.from(cam.map), expected.map.flat());
      const rows = expected.upsampledRows;
      const sampled = rows.flatMap((y) => rows.map((x) => cam.upsampled[y * cam.inputWidth + x] ?? NaN));
      const upErr = relativeToMax(sampled, expected.upsampled.flat());
      const sum = cam.upsampled.reduce((a, b) => a + b, 0);
      console.info(
        `[${backend}] Grad-CAM class ${cam.classIndex}: map ${mapErr.toExponential(2)}, upsampled ${upErr.toExponential(2)} of their max ` +
          `(torch float32: ${expected.torchFloat32MaxRel.map.toExponential(2)})`,
      );
      expect(mapErr).toBeLessThan(TOL);
      expect(upErr).toBeLessThan(TOL);
      expect(Math.abs(sum - expected.upsampledSum) / expected.upsampledSum).toBeLessThan(TOL);
      expect(relativeToMax(Array.from(cam.logits), golden.logits)).toBeLessThan(TOL);
    },
  );

  it('refuses a class the model does not have, and a batch', () => {
    expect(() => gradCamTensors(model, image, 7)).toThrow(/class 7 is not one of the model's 7 classes/);
    const two = tf.concat([image, image]);
    expect(() => gradCamTensors(model, two, 0)).toThrow(/one image at a time/);
    two.dispose();
  });
});
