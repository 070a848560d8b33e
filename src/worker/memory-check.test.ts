import { describe, expect, it } from 'vitest';
import { WASM_HEAP_MAX_BYTES } from '../ml/memory-limit.ts';
import { REGIMES } from '../shared/regimes.ts';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { assertRunFits, RunMemoryError } from './memory-check.ts';

const dataset = { classes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], splits: { train: new Array(40), validation: new Array(10), test: [] } };
const wasm = { backend: 'wasm' as const, limitBytes: WASM_HEAP_MAX_BYTES, heldBytes: 100 * 2 ** 20, maxBindingBytes: null };
const finetune = (inputSize: number, batchSize: number) => ({
  ...DEFAULT_TRAIN_CONFIG,
  regime: 'finetune' as const,
  learningRates: REGIMES.finetune.learningRates,
  inputSize,
  batchSize,
});

describe('the memory check of train/start', () => {
  it('refuses a 224 px, batch 64 fine-tune on WASM with the estimate, the limit and what fits', () => {
    let error: unknown = null;
    try {
      assertRunFits(finetune(224, 64), dataset as never, wasm);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RunMemoryError);
    const { refusal, message } = error as RunMemoryError;
    expect(refusal).toMatchObject({ backend: 'wasm', reason: 'total', limitBytes: WASM_HEAP_MAX_BYTES });
    expect(refusal.estimateBytes).toBeGreaterThan(refusal.availableBytes);
    expect(message).toMatch(/needs about \d+(\.\d)? GB of memory at its peak, more than WASM has for it/);
    expect(message).toContain(`The largest batch that fits at 224 px is ${refusal.largestBatch}`);
    expect(message).toContain(`at batch 64 the largest input size that fits is ${refusal.largestSize} px`);
    expect(() => assertRunFits(finetune(224, refusal.largestBatch), dataset as never, wasm)).not.toThrow();
  });

  it('lets a run through where the backend is not checked (WebGL, CPU)', () => {
    expect(() => assertRunFits(finetune(224, 64), dataset as never, null)).not.toThrow();
  });
});
