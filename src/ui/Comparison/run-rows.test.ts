import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../state/config-defaults.ts';
import { newRun } from '../../state/slices/runs-slice.ts';
import type { Run } from '../../state/types.ts';
import type { EpochMetrics } from '../../shared/types.ts';
import { sortRows, toRow } from './run-rows.ts';

const epoch = (n: number, acc: number, validationLoss = 1 - acc): EpochMetrics => ({
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss,
  validationAccuracy: acc,
  perClassAccuracy: [],
  confusion: [],
  learningRateScale: 1,
  trainMs: 800,
  wallMs: 1000,
});
const run = (id: string, number: number, accs: number[], patch: Partial<Run> = {}): Run => ({
  ...newRun(id, number, DEFAULT_TRAIN_CONFIG, 0),
  epochs: accs.map((a, i) => epoch(i + 1, a)),
  ...patch,
});

describe('comparison rows', () => {
  it('reports the best validation accuracy and the epoch it came from, and sums epoch time while running', () => {
    const row = toRow(run('a', 1, [0.4, 0.6, 0.5], { status: 'running' }));
    expect(row).toMatchObject({ bestAccuracy: 0.6, bestEpoch: 2, ms: 3000, epochsDone: 3 });
    expect(toRow(run('b', 2, [0.4], { totalMs: 99 })).ms).toBe(99);
  });

  it('takes the best epoch by the one rule the trainer keeps (lowest validation loss), not the highest accuracy', () => {
    // Epoch 1: lower loss; epoch 2: higher accuracy. Before the fix the table said 2, Evaluation 1.
    const r = { ...run('d', 4, []), epochs: [epoch(1, 0.5, 0.9), epoch(2, 0.6, 1.2)], bestEpoch: 1 };
    expect(toRow(r)).toMatchObject({ bestEpoch: 1, bestAccuracy: 0.5 });
    expect(toRow(r).bestEpoch).toBe(r.bestEpoch);
  });

  it('sorts by best accuracy either way, with runs that have no epoch last', () => {
    const rows = [run('a', 1, [0.4]), run('b', 2, []), run('c', 3, [0.6])].map(toRow);
    expect(sortRows(rows, 'bestAccuracy', true).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, 'bestAccuracy', false).map((r) => r.id)).toEqual(['a', 'c', 'b']);
    expect(sortRows(rows, 'number', true).map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
});
