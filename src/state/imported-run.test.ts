import { describe, expect, it } from 'vitest';
import type { EventOf } from '../shared/protocol.ts';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import type { EpochMetrics } from '../shared/types.ts';
import { fullRunLabel, shortRunLabel } from './run-labels.ts';
import { createLabStore } from './store.ts';

const epoch = (n: number, accuracy: number): EpochMetrics => ({
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss: 1 / n,
  validationAccuracy: accuracy,
  perClassAccuracy: [accuracy, accuracy],
  confusion: [
    [1, 1],
    [1, 1],
  ],
  learningRateScale: 1,
  trainMs: 100,
  wallMs: 120,
});

const imported: EventOf<'run/imported'> = {
  type: 'run/imported',
  requestId: 'i',
  runId: 'pt',
  config: DEFAULT_TRAIN_CONFIG,
  classes: ['happy', 'sad'],
  epochs: [epoch(1, 0.4), epoch(2, 0.6)],
  batches: [1, 2, 3, 4].map((b) => ({
    epoch: b > 2 ? 2 : 1,
    batch: b,
    batchesPerEpoch: 2,
    loss: 1 / b,
    accuracy: 0.5,
    imagesPerSecond: 10,
  })),
  bestEpoch: 2,
  reason: 'completed',
  totalMs: 240,
  origin: 'trained in PyTorch 1.13.0 on 2 × CPU (x86_64) (gloo)',
  hasWeights: true,
  counts: null,
};

describe('a run imported from PyTorch', () => {
  it('joins the runs finished, drawn on the charts and marked with where it trained', () => {
    const store = createLabStore();
    store.getState().applyEvents([imported], 1000);
    const run = store.getState().runs.pt;
    expect(run).toMatchObject({ status: 'completed', number: 1, bestEpoch: 2, totalMs: 240, origin: imported.origin });
    expect(run?.epochs).toHaveLength(2);
    expect(run?.batches.map((b) => b.step)).toEqual([1, 2, 3, 4]);
    expect(store.getState().selectedRunIds).toEqual(['pt']);
    expect(shortRunLabel(run!)).toBe('Run 1 · Discriminative · PyTorch · 60.0 %');
    expect(fullRunLabel(run!)).toContain('trained in PyTorch 1.13.0 on 2 × CPU');
    // The same event twice (a retried request) does not add a second run.
    store.getState().applyEvents([imported], 2000);
    expect(store.getState().runOrder).toEqual(['pt']);
  });
});
