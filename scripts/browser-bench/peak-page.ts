/**
 * Runs in headless Chromium (scripts/browser-bench/peak.ts) on the lab's own WASM backend: for each
 * of ResNet50's convolution shapes, the fastest time of tfjs-backend-wasm's built-in XNNPACK forward
 * (weights packed once, before timing: its best case) and of the lab's CPU kernels' forward, input
 * gradient and filter gradient (new weights every call, as in training).
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/ml/backend.ts';
import { builtInWasmKernel } from '../../src/ml/cpu/kernels/replace-kernel.ts';
import type { CpuVariantChoice } from '../../src/ml/cpu/variant.ts';
import { explicitPadding, type ConvShape } from './conv-shapes.ts';
import { reportToBench } from './report.ts';

/** Per shape, ms: XNNPACK forward (packed), and ours: forward, input gradient (NaN for the stem), filter gradient. */
export interface PeakResult {
  readonly threads: number | null;
  readonly kernels: string;
  readonly xnnpack: number[];
  readonly forward: number[];
  readonly input: number[];
  readonly filter: number[];
}

/** Fastest of `reps` runs after one warm-up, in ms; one value of each run's output is read (so the work is done), then it is freed. */
function fastest(run: () => tf.TensorInfo, reps: number): number {
  const backend = tf.backend();
  const once = (): number => {
    const start = performance.now();
    const out = run();
    (backend as unknown as { readSync(id: object, start: number, end: number): unknown }).readSync(out.dataId, 0, 1);
    const ms = performance.now() - start;
    backend.disposeData(out.dataId);
    return ms;
  };
  once();
  let best = Infinity;
  for (let i = 0; i < reps; i++) best = Math.min(best, once());
  return best;
}

async function main(): Promise<PeakResult> {
  const params = new URLSearchParams(location.search);
  const shapes = JSON.parse(params.get('shapes') ?? '[]') as ConvShape[];
  const batch = Number(params.get('batch') ?? 16);
  // XNNPACK on every core: its column is its best case.
  const info = await chooseBackend('wasm', `${location.origin}/`, {
    cpuVariant: (params.get('cpu') ?? 'auto') as CpuVariantChoice,
    xnnpackThreads: 'all',
  });
  if (info.backend !== 'wasm') throw new Error(`the WASM backend did not start: ${info.reason}`);
  const builtIn = builtInWasmKernel(tf.Conv2D);
  if (!builtIn) throw new Error('the built-in Conv2D was not kept');
  const backend = tf.backend();
  const result: PeakResult = { threads: info.threads, kernels: info.adapter, xnnpack: [], forward: [], input: [], filter: [] };
  for (const c of shapes) {
    const x = tf.randomNormal([batch, c.size, c.size, c.ci]) as tf.Tensor4D;
    const w = tf.randomNormal([c.k, c.k, c.ci, c.co]) as tf.Tensor4D;
    const pad = explicitPadding(c);
    const attrs = { strides: c.stride, pad, dataFormat: 'NHWC', dilations: 1 };
    const y = tf.conv2d(x, w, c.stride, pad);
    result.xnnpack.push(fastest(() => builtIn({ inputs: { x, filter: w }, backend, attrs: attrs as unknown as tf.NamedAttrMap }), 5));
    result.forward.push(
      fastest(() => tf.engine().runKernel(tf.Conv2D, { x, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor, 5),
    );
    result.input.push(
      c.ci === 3
        ? NaN
        : fastest(
            () =>
              tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: y, filter: w }, {
                ...attrs,
                inputShape: x.shape,
              } as unknown as tf.NamedAttrMap) as tf.Tensor,
            5,
          ),
    );
    result.filter.push(
      fastest(
        () =>
          tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: y }, {
            ...attrs,
            filterShape: w.shape,
          } as unknown as tf.NamedAttrMap) as tf.Tensor,
        5,
      ),
    );
    tf.dispose([x, w, y]);
  }
  return result;
}

reportToBench(main);
