/**
 * Runs in headless Chromium (scripts/browser-bench/peak.ts): the lab's own WASM backend (all cores,
 * its kernels registered) times each of ResNet50's convolution shapes with fixed, already packed
 * weights: the fastest a convolution runs on this engine.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/ml/backend.ts';
import type { ConvShape } from './conv-shapes.ts';
import { reportToBench } from './report.ts';

/** What the page reports: the backend's thread count and each shape's fastest time. */
export interface PeakResult {
  readonly threads: number | null;
  readonly ms: number[];
}

/** Fastest of `reps` runs after one warm-up (which packs the weights), in ms. */
function fastest(run: () => tf.Tensor, reps: number): number {
  run().dispose();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const y = run();
    y.dataSync();
    best = Math.min(best, performance.now() - start);
    y.dispose();
  }
  return best;
}

async function main(): Promise<PeakResult> {
  const params = new URLSearchParams(location.search);
  const shapes = JSON.parse(params.get('shapes') ?? '[]') as ConvShape[];
  const batch = Number(params.get('batch') ?? 16);
  const info = await chooseBackend('wasm', `${location.origin}/`);
  if (info.backend !== 'wasm') throw new Error(`the WASM backend did not start: ${info.reason}`);
  const ms = shapes.map((c) =>
    tf.tidy(() => {
      const x = tf.randomNormal([batch, c.size, c.size, c.ci]) as tf.Tensor4D;
      const w = tf.randomNormal([c.k, c.k, c.ci, c.co]) as tf.Tensor4D;
      const pad: [[0, 0], [number, number], [number, number], [0, 0]] = [
        [0, 0],
        [c.pad, c.pad],
        [c.pad, c.pad],
        [0, 0],
      ];
      return fastest(() => tf.conv2d(x, w, c.stride, pad), 5);
    }),
  );
  return { threads: info.threads, ms };
}

reportToBench(main);
