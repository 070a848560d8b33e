import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResNet50 } from '../model.ts';
import { buildGoldenResNet50 } from '../testing/golden-model.ts';
import { GRAD_CAM_GOLDEN as golden, GRAD_CAM_TOLERANCE as TOL, gradCamErrors, gradCamGoldenImage } from '../testing/grad-cam-golden.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { computeGradCam, gradCamTensors } from './grad-cam.ts';

/** On the lab's CPU kernels (wasm); tfjs' plain cpu backend agrees too (1.4e-6) but takes 12 s more. */
describe('Grad-CAM vs torchvision with hooks on layer4 (wasm, CPU kernels)', () => {
  const backend = 'wasm';
  let model: ResNet50;
  let image: tf.Tensor4D;
  beforeAll(async () => {
    await useWasmBackend();
    model = buildGoldenResNet50();
    image = gradCamGoldenImage();
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
      const err = gradCamErrors(cam, expected);
      console.info(
        `[${backend}] Grad-CAM class ${cam.classIndex}: map ${err.map.toExponential(2)}, upsampled ${err.upsampled.toExponential(2)} of their max ` +
          `(torch float32: ${expected.torchFloat32MaxRel.map.toExponential(2)})`,
      );
      expect(err.map).toBeLessThan(TOL);
      expect(err.upsampled).toBeLessThan(TOL);
      expect(err.sum).toBeLessThan(TOL);
      expect(err.logits).toBeLessThan(TOL);
    },
  );

  it('refuses a class the model does not have, and a batch', () => {
    expect(() => gradCamTensors(model, image, 7)).toThrow(/class 7 is not one of the model's 7 classes/);
    const two = tf.concat([image, image]);
    expect(() => gradCamTensors(model, two, 0)).toThrow(/one image at a time/);
    two.dispose();
  });
});
