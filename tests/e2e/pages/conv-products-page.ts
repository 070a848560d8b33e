/**
 * The lab's WebGPU convolution products (src/ml/webgpu: the filter gradient and the split-K forward)
 * against tfjs' cpu kernels on the shape table every convolution kernel is checked on
 * (src/ml/testing/conv-cases.ts), in a real browser, every case forced through them. The worst
 * relative error per case lands in `window.__convProducts` for tests/e2e/webgpu-kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { CONV_CASES, convCaseName, relativeError, seeded, type Shape4 } from '../../../src/ml/testing/conv-cases.ts';
import { channelSums } from '../../../src/ml/webgpu/channel-sums.ts';
import { WEBGPU_CONV_SPLIT_FLAG } from '../../../src/ml/webgpu/conv2d.ts';
import { WEBGPU_FILTER_TILING_FLAG } from '../../../src/ml/webgpu/conv2d-backprop-filter.ts';
import { registerWebGpuTrainingKernels } from '../../../src/ml/webgpu/register.ts';

declare global {
  interface Window {
    __convProducts: Promise<{
      backend: string;
      forward: Record<string, number>;
      filter: Record<string, number>;
      sums: Record<string, number>;
      tensorsLeft: number;
    }>;
  }
}

/** y and dW of one case on the current backend, read asynchronously (no synchronous reads on WebGPU here). */
async function products(i: number): Promise<[Float32Array, Float32Array]> {
  const c = CONV_CASES[i]!;
  const xShape: Shape4 = [c.batch, c.size, c.size + 1, c.ci];
  const wShape: Shape4 = [c.k, c.k, c.ci, c.co];
  const info = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad);
  const [x, w, dy] = [seeded(xShape, 1), seeded(wShape, 2), seeded(info.outShape as Shape4, 3)];
  const y = tf.conv2d(x, w, c.stride, c.pad);
  const dw = tf
    .engine()
    .runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape }) as tf.Tensor;
  const values: [Float32Array, Float32Array] = [(await y.data()) as Float32Array, (await dw.data()) as Float32Array];
  tf.dispose([x, w, dy, y, dw]);
  return values;
}

/** BatchNorm's per-channel sums (of x, and of x·y) on shapes from a few channels to many rows. */
const SUM_SHAPES: Shape4[] = [
  [2, 3, 5, 3],
  [4, 8, 8, 64],
  [1, 33, 31, 70],
  [16, 16, 16, 256],
];

async function sums(shape: Shape4): Promise<Float32Array> {
  const [x, y] = [seeded(shape, 5), seeded(shape, 6)];
  const [a, b] = [channelSums(x), channelSums(x, y)];
  const values = new Float32Array([...((await a.data()) as Float32Array), ...((await b.data()) as Float32Array)]);
  tf.dispose([x, y, a, b]);
  return values;
}

async function run() {
  await tf.setBackend('cpu');
  const reference: [Float32Array, Float32Array][] = [];
  for (let i = 0; i < CONV_CASES.length; i++) reference.push(await products(i));
  const sumReference: Float32Array[] = [];
  for (const shape of SUM_SHAPES) sumReference.push(await sums(shape));
  registerWebGpuTrainingKernels();
  // Every case through the lab's products, small ones included (the app leaves some to tfjs' kernels).
  tf.env().set(WEBGPU_FILTER_TILING_FLAG, 'always');
  tf.env().set(WEBGPU_CONV_SPLIT_FLAG, 'always');
  if (!(await tf.setBackend('webgpu'))) throw new Error('webgpu did not start');
  const before = tf.memory().numTensors;
  const forward: Record<string, number> = {};
  const filter: Record<string, number> = {};
  for (let i = 0; i < CONV_CASES.length; i++) {
    const [y, dw] = await products(i);
    const name = convCaseName(CONV_CASES[i]!);
    forward[name] = relativeError(y, reference[i]![0]);
    filter[name] = relativeError(dw, reference[i]![1]);
  }
  const sumErrors: Record<string, number> = {};
  for (const [i, shape] of SUM_SHAPES.entries()) sumErrors[shape.join('x')] = relativeError(await sums(shape), sumReference[i]!);
  return { backend: tf.getBackend(), forward, filter, sums: sumErrors, tensorsLeft: tf.memory().numTensors - before };
}

window.__convProducts = run();
