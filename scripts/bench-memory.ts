/**
 * The memory estimate (src/ml/memory-estimate.ts) beside the measured peak, per backend, size,
 * batch and regime, in headless Chromium: each row is a fresh page (a WebAssembly heap never
 * shrinks), a ResNet50 and two training steps (scripts/browser-bench/memory-page.ts).
 *   npm run bench:memory [-- --backends=wasm,webgpu] [--sizes=64,224]
 * WASM: the heap's growth (byteLength). WebGPU (SwiftShader here, so small sizes): the bytes the
 * device allocated (tf.memory().numBytesAllocatedInGPU). Also the first step's time beside the
 * stored figure the Training panel shows before a run (src/shared/first-batch-time.ts).
 */
import { estimateRunMemory } from '../src/ml/memory-estimate.ts';
import { expectedFirstBatchSeconds, stepKindOf } from '../src/shared/first-batch-time.ts';
import { REGIMES, type RegimeId } from '../src/shared/regimes.ts';
import { DEFAULT_TRAIN_CONFIG } from '../src/shared/train-defaults.ts';
import { runBenchPage } from './browser-bench/run-page.ts';
import type { MemoryPeak } from './browser-bench/memory-page.ts';

type Row = readonly [backend: 'wasm' | 'webgpu', regime: RegimeId, size: number, batch: number];

const ROWS: readonly Row[] = [
  ['wasm', 'finetune', 64, 16],
  ['wasm', 'finetune', 64, 32],
  ['wasm', 'finetune', 112, 16],
  ['wasm', 'finetune', 224, 8],
  ['wasm', 'finetune', 224, 16],
  ['wasm', 'frozen-lower', 112, 16],
  ['wasm', 'linear', 112, 16],
  ['webgpu', 'finetune', 32, 2],
  ['webgpu', 'finetune', 64, 2],
  ['webgpu', 'finetune', 112, 1],
  ['webgpu', 'finetune', 224, 1],
];

const backends = (process.argv.find((a) => a.startsWith('--backends='))?.split('=')[1] ?? 'wasm,webgpu').split(',');
const sizes =
  process.argv
    .find((a) => a.startsWith('--sizes='))
    ?.split('=')[1]
    ?.split(',')
    .map(Number) ?? null;
const MiB = 2 ** 20;
const cell = (text: string, width: number): string => text.padStart(width);
console.log('backend  regime         size  batch  estimate MiB  measured MiB  estimate/measured  first step s  stored figure s');
for (const [backend, regime, size, batch] of ROWS.filter(
  ([b, , size]) => backends.includes(b) && (sizes === null || sizes.includes(size)),
)) {
  const measured = await runBenchPage<MemoryPeak>('scripts/browser-bench/memory.html', {
    backend,
    regime,
    size: String(size),
    batch: String(batch),
    steps: backend === 'webgpu' ? '1' : '2',
  });
  const config = { ...DEFAULT_TRAIN_CONFIG, learningRates: REGIMES[regime].learningRates, exactSeedBehaviour: true };
  const estimate = estimateRunMemory({
    backend,
    inputSize: size,
    batchSize: batch,
    learningRates: config.learningRates,
    cachedFeatures: false,
    numClasses: 7,
    cachedImages: 0,
  });
  const device = { backend, isFallbackAdapter: backend === 'webgpu', threads: measured.threads };
  const stored = expectedFirstBatchSeconds(device, { inputSize: size, batchSize: batch }, stepKindOf(config));
  const ratio = estimate.peakBytes / measured.peakBytes;
  console.log(
    [
      backend.padEnd(7),
      regime.padEnd(13),
      cell(String(size), 5),
      cell(String(batch), 6),
      cell((estimate.peakBytes / MiB).toFixed(0), 13),
      cell((measured.peakBytes / MiB).toFixed(0), 13),
      cell(`${ratio.toFixed(2)} (${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%)`, 18),
      cell(((measured.stepMs[0] ?? 0) / 1000).toFixed(1), 12),
      cell(stored === null ? '—' : stored.toFixed(1), 16),
    ].join(' '),
  );
}
