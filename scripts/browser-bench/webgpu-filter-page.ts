/**
 * Runs in headless Chromium (scripts/browser-bench/webgpu-filter.ts): for each of ResNet50's
 * convolution shapes, the GPU time (timestamp queries) of tfjs-backend-webgpu's own filter gradient
 * and of the lab's tiled, split-K one (src/ml/webgpu), and of the forward convolution beside them.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/ml/backend.ts';
import { builtInWebGpuKernel } from '../../src/ml/webgpu/register.ts';
import { explicitPadding, type ConvShape } from './conv-shapes.ts';
import { reportToBench } from './report.ts';

/** Per shape, GPU ms (fastest of `reps`): the filter gradient and the forward convolution, tfjs-webgpu's and the lab's. */
export interface WebGpuFilterResult {
  readonly adapter: string;
  readonly timestampQueries: boolean;
  readonly builtIn: number[];
  readonly ours: number[];
  readonly forwardBuiltIn: number[];
  readonly forward: number[];
}

/** Fastest GPU time of `run` over `reps` runs after a warm-up (which compiles the shader). */
async function fastest(run: () => tf.Tensor, reps: number): Promise<number> {
  const once = async (): Promise<number> => {
    let out: tf.Tensor | null = null;
    const timing = await tf.time(() => {
      out = run();
    });
    await (out as tf.Tensor | null)?.data();
    (out as tf.Tensor | null)?.dispose();
    return typeof timing.kernelMs === 'number' ? timing.kernelMs : timing.wallMs;
  };
  await once();
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, await once());
  return best;
}

async function main(): Promise<WebGpuFilterResult> {
  const params = new URLSearchParams(location.search);
  const shapes = JSON.parse(params.get('shapes') ?? '[]') as ConvShape[];
  const batch = Number(params.get('batch') ?? 4);
  const reps = Number(params.get('reps') ?? 3);
  const info = await chooseBackend('webgpu', `${location.origin}/`);
  if (info.backend !== 'webgpu') throw new Error(`WebGPU did not start: ${info.reason}`);
  const builtIn = builtInWebGpuKernel(tf.Conv2DBackpropFilter);
  const builtInForward = builtInWebGpuKernel(tf.Conv2D);
  if (!builtIn || !builtInForward) throw new Error('the built-in kernels were not kept');
  const backend = tf.backend();
  const result: WebGpuFilterResult = {
    adapter: info.adapter,
    timestampQueries: (backend as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true,
    builtIn: [],
    ours: [],
    forwardBuiltIn: [],
    forward: [],
  };
  for (const c of shapes) {
    const x = tf.randomNormal([batch, c.size, c.size, c.ci]) as tf.Tensor4D;
    const w = tf.randomNormal([c.k, c.k, c.ci, c.co]) as tf.Tensor4D;
    const pad = explicitPadding(c);
    const attrs = { strides: c.stride, pad, dataFormat: 'NHWC', filterShape: w.shape } as unknown as tf.NamedAttrMap;
    const dy = tf.conv2d(x, w, c.stride, pad);
    result.forward.push(await fastest(() => tf.conv2d(x, w, c.stride, pad), reps));
    const forwardAttrs = { strides: c.stride, pad, dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap;
    result.forwardBuiltIn.push(
      await fastest(
        () =>
          tf.engine().makeTensorFromTensorInfo(builtInForward({ inputs: { x, filter: w }, backend, attrs: forwardAttrs }) as tf.TensorInfo),
        reps,
      ),
    );
    result.ours.push(await fastest(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor, reps));
    result.builtIn.push(
      await fastest(() => {
        const info = builtIn({ inputs: { x, dy }, backend, attrs }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info);
      }, reps),
    );
    tf.dispose([x, w, dy]);
  }
  return result;
}

reportToBench(main);
