/**
 * ms per Conv2DBackpropFilter call on wasm (our composed kernel) vs cpu, in Node, for ResNet-like
 * shapes; wasm's forward Conv2D of the same shape is printed as a yardstick (same FLOPs).
 * Usage: npx tsx scripts/bench-conv-backprop-filter.ts
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DBackpropFilter } from '../src/ml/wasm-conv2d-backprop-filter.ts';

interface BenchCase {
  readonly name: string;
  readonly batch: number;
  readonly size: number;
  readonly k: number;
  readonly ci: number;
  readonly co: number;
  readonly stride: number;
}

const CASES: readonly BenchCase[] = [
  { name: '3x3 s1 same, B=8 16x16x128->128', batch: 8, size: 16, k: 3, ci: 128, co: 128, stride: 1 },
  { name: '1x1 s1, B=8 16x16x256->64', batch: 8, size: 16, k: 1, ci: 256, co: 64, stride: 1 },
  { name: '1x1 s2, B=8 16x16x128->256', batch: 8, size: 16, k: 1, ci: 128, co: 256, stride: 2 },
];
const MIN_TIME_MS = 1500;
const MIN_CALLS = 3;

function timeOnce(fn: () => tf.Tensor): number {
  const t0 = performance.now();
  const out = fn();
  out.dataSync();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}

/**
 * Median ms of `fn` over at least MIN_CALLS calls and MIN_TIME_MS after one warm-up call; a warm-up
 * slower than MIN_TIME_MS (the cpu backend's 3x3) is reported as is, to keep the script short.
 */
function msPerCall(fn: () => tf.Tensor): number {
  const warmUp = timeOnce(fn);
  if (warmUp >= MIN_TIME_MS) return warmUp;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < MIN_CALLS || performance.now() - start < MIN_TIME_MS) {
    times.push(timeOnce(fn));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

async function bench(backend: string, c: BenchCase): Promise<{ backprop: number; forward: number }> {
  await tf.setBackend(backend);
  const filterShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
  const x = tf.randomNormal<tf.Rank.R4>([c.batch, c.size, c.size, c.ci], 0, 1, 'float32', 1);
  const w = tf.randomNormal<tf.Rank.R4>(filterShape, 0, 1, 'float32', 2);
  const outShape = tf.backend_util.computeConv2DInfo(x.shape, filterShape, c.stride, 1, 'same').outShape;
  const dy = tf.randomNormal(outShape, 0, 1, 'float32', 3);
  const attrs = { strides: c.stride, pad: 'same', dataFormat: 'NHWC', filterShape };
  const backprop = msPerCall(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor);
  const forward = msPerCall(() => tf.conv2d(x, w, c.stride, 'same'));
  tf.dispose([x, w, dy]);
  return { backprop, forward };
}

async function main(): Promise<void> {
  const wasmDir = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(`${wasmDir}${path.sep}`);
  registerWasmConv2DBackpropFilter();
  await tf.setBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  console.log(`node ${process.version}, wasm simd=${String(simd)} threads=${String(threads)}; median ms per call`);
  for (const c of CASES) {
    const wasm = await bench('wasm', c);
    const cpu = await bench('cpu', c);
    console.log(
      `${c.name.padEnd(34)} backprop-filter wasm ${wasm.backprop.toFixed(1).padStart(7)}  cpu ${cpu.backprop.toFixed(1).padStart(8)}` +
        `  (x${(cpu.backprop / wasm.backprop).toFixed(1)})   forward conv2d wasm ${wasm.forward.toFixed(1).padStart(7)}`,
    );
  }
}

await main();
