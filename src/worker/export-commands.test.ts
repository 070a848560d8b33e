import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import type { EpochMetrics } from '../shared/types.ts';
import { metricsCsv, runFileBase } from './export-commands.ts';

const epoch = (n: number): EpochMetrics => ({
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss: 0.9,
  validationAccuracy: 0.6,
  perClassAccuracy: [0.5, 0.7],
  confusion: [],
  learningRateScale: 1,
  trainMs: 5,
  wallMs: 6,
  ...(n === 2
    ? { blockMovement: { 'conv1+bn1': 0, layer1: 0, layer2: 0.001, layer3: 0.002, layer4: 0.004, fc: 0.25 }, blockMovementMs: 1.25 }
    : {}),
});

describe('run exports', () => {
  const run = {
    number: 2,
    config: { ...DEFAULT_TRAIN_CONFIG, regime: 'finetune' as const },
    classes: ['a', 'b'],
    history: [epoch(1), epoch(2)],
    batches: [1, 2].flatMap((e) =>
      [1, 2, 3].map((b) => ({ epoch: e, batch: b, batchesPerEpoch: 3, loss: 1, accuracy: 0.5, imagesPerSecond: 10 })),
    ),
  };

  it('the metrics CSV holds every batch and every epoch, as its hint promises', () => {
    const rows = new TextDecoder().decode(metricsCsv(run).data).trim().split('\n');
    expect(rows[0]).toMatch(/^kind,epoch,batch,loss,accuracy/);
    expect(rows.filter((r) => r.startsWith('batch,'))).toHaveLength(6);
    expect(rows.filter((r) => r.startsWith('epoch,'))).toHaveLength(2);
    expect(new Set(rows.map((r) => r.split(',').length)).size).toBe(1);
    const header = rows[0]?.split(',') ?? [];
    const column = (row: string | undefined, name: string) => row?.split(',')[header.indexOf(name)];
    const [first, second] = rows.filter((r) => r.startsWith('epoch,'));
    expect(['moved_layer4', 'moved_fc', 'movement_ms'].map((name) => column(second, name))).toEqual(['0.004', '0.25', '1.3']);
    expect(column(first, 'moved_fc'), 'not measured: empty').toBe('');
  });

  it('names every download after its run, so two runs never collide', () => {
    expect(runFileBase(run)).toBe('run-2-finetune');
    expect(metricsCsv(run).name).toBe('run-2-finetune-metrics.csv');
    expect(metricsCsv({ ...run, number: 3 }).name).not.toBe(metricsCsv(run).name);
  });
});
