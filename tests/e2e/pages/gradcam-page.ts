/**
 * The Grad-CAM golden check in a real browser, on WebGPU with the lab's WebGPU kernels (as the app
 * runs it): each golden map (the predicted class, and a requested one) computed by the lab's
 * Grad-CAM and compared with torchvision's (hooks on layer4). The result lands in
 * `window.__gradCam` for tests/e2e/golden.test.ts to assert on.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { computeGradCam } from '../../../src/ml/interpret/grad-cam.ts';
import { registerWebGpuTrainingKernels } from '../../../src/ml/webgpu/register.ts';
import { buildGoldenResNet50 } from '../../../src/ml/testing/golden-model.ts';
import { GRAD_CAM_GOLDEN, gradCamErrors, gradCamGoldenImage, type GradCamErrors } from '../../../src/ml/testing/grad-cam-golden.ts';

/** What the page measured: the backend, each map's errors, and the live tensors before and after. */
export interface GradCamPageResult {
  readonly backend: string;
  readonly maps: readonly (GradCamErrors & { readonly expectedClass: number; readonly shape: readonly number[] })[];
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

declare global {
  interface Window {
    __gradCam: Promise<GradCamPageResult>;
  }
}

async function run(): Promise<GradCamPageResult> {
  registerWebGpuTrainingKernels();
  if (!(await tf.setBackend('webgpu'))) throw new Error('backend webgpu did not start');
  await tf.ready();
  const model = buildGoldenResNet50();
  const image = gradCamGoldenImage();
  const tensorsBefore = tf.memory().numTensors;
  const maps = [];
  try {
    for (const expected of GRAD_CAM_GOLDEN.maps) {
      const cam = await computeGradCam(model, image, expected.requested);
      maps.push({
        ...gradCamErrors(cam, expected),
        expectedClass: expected.classIndex,
        shape: [cam.height, cam.width, cam.inputHeight, cam.inputWidth],
      });
    }
    return { backend: tf.getBackend(), maps, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  } finally {
    image.dispose();
    model.dispose();
  }
}

window.__gradCam = run();
