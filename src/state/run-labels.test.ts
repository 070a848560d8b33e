import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../shared/types.ts';
import { DEFAULT_TRAIN_CONFIG } from './config-defaults.ts';
import { fullRunLabel, shortRunLabel } from './run-labels.ts';
import { newRun } from './slices/runs-slice.ts';

const epoch = (n: number, validationAccuracy: number) =>
  ({ epoch: n, validationAccuracy, validationLoss: 1 - validationAccuracy }) as EpochMetrics;

describe('run labels for pickers', () => {
  it('are short, with the best validation accuracy, and say when a run is still training or failed', () => {
    const run = { ...newRun('r', 2, DEFAULT_TRAIN_CONFIG, 0), status: 'completed' as const, epochs: [epoch(1, 0.1), epoch(2, 0.1667)] };
    expect(shortRunLabel(run)).toBe('Run 2 · Discriminative · 16.7 %');
    expect(shortRunLabel({ ...run, status: 'running' })).toBe('Run 2 · Discriminative · 16.7 % · training');
    expect(shortRunLabel({ ...run, status: 'failed' })).toBe('Run 2 · Discriminative · 16.7 % · failed');
    expect(shortRunLabel({ ...run, epochs: [], status: 'running' })).toBe('Run 2 · Discriminative · training');
    expect(shortRunLabel({ ...run, status: 'interrupted' })).toBe('Run 2 · Discriminative · 16.7 % · interrupted at epoch 2');
    expect(shortRunLabel(run).length).toBeLessThanOrEqual(32);
  });

  it('keep the full regime, status, best epoch and settings for the title', () => {
    const run = { ...newRun('r', 2, DEFAULT_TRAIN_CONFIG, 0), status: 'completed' as const, epochs: [epoch(1, 0.1), epoch(2, 0.1667)] };
    expect(fullRunLabel(run)).toBe(
      'Run 2 · Discriminative learning rates (completed) · best validation 16.7 % at epoch 2 (lowest loss) · 16.7 % after epoch 2 · lr backbone 0.001 · fc 0.01 · bs 64 · 10 ep · 48 px · seed 42',
    );
  });
});
