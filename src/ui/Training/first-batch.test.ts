import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../shared/train-defaults.ts';
import type { Run } from '../../state/types.ts';
import { firstBatchText, knownSecondsPerBatch } from './first-batch.ts';

const run = (id: string, patch: Partial<Run> = {}, config: Partial<Run['config']> = {}): Run => ({
  id,
  number: 1,
  config: { ...DEFAULT_TRAIN_CONFIG, inputSize: 64, batchSize: 16, epochs: 2, ...config },
  status: 'running',
  classes: ['a', 'b'],
  batchesPerEpoch: 10,
  batches: [],
  lastBatch: null,
  epochs: [],
  startedAt: 0,
  totalMs: null,
  bestEpoch: null,
  error: null,
  memory: null,
  features: null,
  origin: null,
  resumeAt: null,
  imported: false,
  edits: [],
  ...patch,
});
const batch = (imagesPerSecond: number) => ({ epoch: 1, batch: 3, batchesPerEpoch: 10, loss: 1, accuracy: 0.5, imagesPerSecond });

describe('the first batch message', () => {
  it('says what the first batch does, how long it has taken, and that WASM is slow there', () => {
    const { label, detail } = firstBatchText(run('r2'), 'wasm', 75_000, null);
    expect(label).toBe('First batch on WASM: compiling kernels and running ResNet50 forward and backward once (16 images at 64 px)…');
    expect(detail).toMatch(/^1 min 15 s so far\. On WASM this first batch can take a few minutes/);
    expect(detail).toMatch(/estimate of the time left appears once it ends/);
  });

  it('says up front how long the first batch should take when the backend has a stored figure', () => {
    const { detail } = firstBatchText(run('r2'), 'wasm', 3_000, null, 90);
    expect(detail).toMatch(/^3 s so far\. Expected: about 1 min 30 s for this first batch on WASM/);
  });

  it('estimates from the step time of an earlier run at the same size: 16 images at 4 images/s is 4 s a batch', () => {
    const earlier = run('r1', { lastBatch: batch(4) });
    const other = run('r0', { lastBatch: batch(100) }, { inputSize: 224 });
    const seconds = knownSecondsPerBatch(run('r2'), [other, earlier, run('r2')]);
    expect(seconds).toBe(4);
    const { detail } = firstBatchText(run('r2'), 'webgpu', 3_000, seconds);
    expect(detail).toBe(
      '3 s so far. Later batches should take about 4.0 s each (as in an earlier run here): about 1 min 20 s for the whole run.',
    );
    expect(knownSecondsPerBatch(run('r2'), [other])).toBeNull();
  });
});
