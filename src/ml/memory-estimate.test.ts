import { describe, expect, it } from 'vitest';
import { REGIMES, type RegimeId } from '../shared/regimes.ts';
import { checkRunMemory, convolutionOutputs, estimateRunMemory, parameterCounts, type RunShape } from './memory-estimate.ts';
import { WASM_HEAP_MAX_BYTES } from './memory-limit.ts';

const MiB = 2 ** 20;
const shape = (regime: RegimeId, inputSize: number, batchSize: number, backend: RunShape['backend'] = 'wasm'): RunShape => ({
  backend,
  inputSize,
  batchSize,
  learningRates: REGIMES[regime].learningRates,
  cachedFeatures: false,
  numClasses: 7,
  cachedImages: 0,
});

/** Heap growth over model + two steps, measured by `npm run bench:memory` (WASM, Chromium, 2 threads). */
const MEASURED_WASM_MIB: readonly [RegimeId, number, number, number][] = [
  ['finetune', 64, 16, 596],
  ['finetune', 64, 32, 797],
  ['finetune', 112, 4, 499],
  ['finetune', 112, 16, 1091],
  ['finetune', 224, 8, 1916],
  ['finetune', 224, 16, 3424],
  ['frozen-lower', 112, 16, 1090],
  ['discriminative', 112, 16, 1091],
  ['linear', 112, 16, 499],
];

/** Device bytes allocated over model + one step, measured by `npm run bench:memory` (WebGPU on SwiftShader). */
const MEASURED_WEBGPU_MIB: readonly [RegimeId, number, number, number][] = [
  ['finetune', 32, 2, 264],
  ['finetune', 64, 2, 313],
  ['finetune', 112, 1, 353],
];

describe('the memory estimate', () => {
  it("counts torchvision ResNet50's parameters and convolution outputs", () => {
    expect(parameterCounts(REGIMES.finetune.learningRates, 1000).all).toBe(25_557_032);
    expect(parameterCounts(REGIMES.linear.learningRates, 7).trainable).toBe(2048 * 7 + 7);
    // layer1 and layer2 frozen: 215,808 + 1,219,584 parameters out.
    const frozen = parameterCounts(REGIMES['frozen-lower'].learningRates, 7);
    expect(frozen.all - frozen.trainable).toBe(215_808 + 1_219_584);
    expect(convolutionOutputs(224)).toEqual({ total: 11_113_984, largest: 64 * 112 * 112 });
  });

  it.each(MEASURED_WASM_MIB)('%s at %i px, batch %i is within 25%% of the measured %i MiB', (regime, size, batch, measured) => {
    const estimate = estimateRunMemory(shape(regime, size, batch)).peakBytes / MiB;
    expect(Math.abs(estimate / measured - 1)).toBeLessThan(0.25);
  });

  it.each(MEASURED_WEBGPU_MIB)('WebGPU: %s at %i px, batch %i is within 25%% of the measured %i MiB', (regime, size, batch, measured) => {
    const estimate = estimateRunMemory(shape(regime, size, batch, 'webgpu')).peakBytes / MiB;
    expect(Math.abs(estimate / measured - 1)).toBeLessThan(0.25);
  });

  it('grows with the batch and the input size, and keeps less when the backbone does not train', () => {
    const at = (regime: RegimeId, size: number, batch: number) => estimateRunMemory(shape(regime, size, batch)).peakBytes;
    expect(at('finetune', 224, 32)).toBeGreaterThan(at('finetune', 224, 16));
    expect(at('finetune', 224, 16)).toBeGreaterThan(at('finetune', 112, 16));
    expect(at('linear', 224, 16)).toBeLessThan(at('finetune', 224, 16));
    const cached = estimateRunMemory({ ...shape('linear', 224, 16), cachedFeatures: true, cachedImages: 1000 });
    expect(cached.peakBytes).toBeLessThan(at('linear', 224, 16));
  });
});

describe('checking a run against the backend', () => {
  const wasm = { backend: 'wasm' as const, limitBytes: WASM_HEAP_MAX_BYTES, heldBytes: 100 * MiB, maxBindingBytes: null };

  it('refuses a 224 px, batch 64 fine-tune on WASM and names a batch and a size that fit', () => {
    const fit = checkRunMemory(shape('finetune', 224, 64), wasm);
    expect(fit.fits).toBe(false);
    expect(fit.reason).toBe('total');
    expect(fit.estimate.peakBytes).toBeGreaterThan(wasm.limitBytes);
    expect(fit.largestBatch).toBeGreaterThan(0);
    expect(fit.largestBatch).toBeLessThan(64);
    expect(checkRunMemory(shape('finetune', 224, fit.largestBatch), wasm).fits).toBe(true);
    expect(checkRunMemory(shape('finetune', 224, fit.largestBatch + 1), wasm).fits).toBe(false);
    expect(fit.largestSize).not.toBeNull();
    expect(checkRunMemory(shape('finetune', fit.largestSize!, 64), wasm).fits).toBe(true);
    expect(checkRunMemory(shape('finetune', fit.largestSize! + 16, 64), wasm).fits).toBe(false);
  });

  it('leaves less room when more is held already', () => {
    const roomy = checkRunMemory(shape('finetune', 224, 64), wasm).largestBatch;
    const held = checkRunMemory(shape('finetune', 224, 64), { ...wasm, heldBytes: 2000 * MiB }).largestBatch;
    expect(held).toBeLessThan(roomy);
  });

  it('lets a 64 px, batch 16 fine-tune start', () => {
    expect(checkRunMemory(shape('finetune', 64, 16), wasm).fits).toBe(true);
  });

  it('on WebGPU refuses a run whose largest activation exceeds one buffer binding', () => {
    const webgpuShape = (size: number, batch: number) => shape('finetune', size, batch, 'webgpu');
    const gpu = { backend: 'webgpu' as const, limitBytes: 256 * MiB, heldBytes: 0, maxBindingBytes: 128 * MiB };
    // batch × 112² × 64 floats: 64 images are 196 MiB.
    const fit = checkRunMemory(webgpuShape(224, 64), gpu);
    expect(fit).toMatchObject({ fits: false, reason: 'binding', availableBytes: 128 * MiB });
    expect(fit.largestBatch).toBe(Math.floor((128 * MiB) / (112 * 112 * 64 * 4)));
    expect(checkRunMemory(webgpuShape(224, 32), gpu).fits).toBe(true);
  });
});
