import { describe, expect, it } from 'vitest';
import { expectedFirstBatchSeconds, stepKindOf } from './first-batch-time.ts';
import { REGIMES } from './regimes.ts';
import { DEFAULT_TRAIN_CONFIG } from './train-defaults.ts';

const wasm = { backend: 'wasm', isFallbackAdapter: false, threads: 2 };

describe('the expected first-batch time', () => {
  it('scales the stored WASM figure with the images, the pixels and the threads', () => {
    const at224 = expectedFirstBatchSeconds(wasm, { inputSize: 224, batchSize: 16 }, 'backbone')!;
    const perPixel = 8.3e-6 * 16 * 224 * 224;
    expect(at224).toBeCloseTo(1 + perPixel, 6);
    expect(expectedFirstBatchSeconds(wasm, { inputSize: 224, batchSize: 8 }, 'backbone')).toBeCloseTo(1 + perPixel / 2, 6);
    expect(expectedFirstBatchSeconds({ ...wasm, threads: 4 }, { inputSize: 224, batchSize: 16 }, 'backbone')).toBeCloseTo(
      1 + perPixel / 2,
      6,
    );
    expect(expectedFirstBatchSeconds(wasm, { inputSize: 224, batchSize: 16 }, 'head-only')!).toBeLessThan(at224);
  });

  it('has a figure for SwiftShader but none for a hardware GPU or the cached-features probe', () => {
    const swiftShader = { backend: 'webgpu', isFallbackAdapter: true, threads: null };
    expect(expectedFirstBatchSeconds(swiftShader, { inputSize: 32, batchSize: 2 }, 'backbone')).toBeCloseTo(41.1, 1);
    expect(expectedFirstBatchSeconds(swiftShader, { inputSize: 64, batchSize: 16 }, 'backbone')).toBeCloseTo(231.6, 1);
    expect(expectedFirstBatchSeconds({ ...swiftShader, isFallbackAdapter: false }, { inputSize: 64, batchSize: 8 }, 'backbone')).toBeNull();
    expect(expectedFirstBatchSeconds(wasm, { inputSize: 64, batchSize: 8 }, 'cached-features')).toBeNull();
  });

  it('tells the three kinds of step apart by the settings', () => {
    const linear = { ...DEFAULT_TRAIN_CONFIG, learningRates: REGIMES.linear.learningRates };
    expect(stepKindOf(linear)).toBe('cached-features');
    expect(stepKindOf({ ...linear, exactSeedBehaviour: true })).toBe('head-only');
    expect(stepKindOf({ ...linear, learningRates: REGIMES.finetune.learningRates })).toBe('backbone');
  });
});
