import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { parseImportedRun } from './run-format.ts';

const epoch = (n: number, validationLoss: number) => ({
  epoch: n,
  trainLoss: 1.5,
  trainAccuracy: 0.4,
  validationLoss,
  validationAccuracy: 0.5,
  perClassAccuracy: [0.5, 0.5],
  confusion: [
    [1, 1],
    [1, 1],
  ],
  learningRateScale: 1,
  trainMs: 10,
  wallMs: 12,
});

const results = (patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    classes: ['happy', 'sad'],
    training: { config: DEFAULT_TRAIN_CONFIG },
    history: [epoch(1, 0.9), epoch(2, 0.7), epoch(3, 0.8)],
    batches: [{ epoch: 1, batch: 1, batchesPerEpoch: 1, loss: 2, accuracy: 0.5, imagesPerSecond: 3 }],
    trainedIn: { framework: 'PyTorch 1.13.0', device: '2 × CPU (x86_64)', backend: 'gloo', nodes: 1 },
    dataset: { counts: { train: [5, 5], validation: [1, 1], test: [2, 2] } },
    ...patch,
  });

describe('parseImportedRun', () => {
  it('reads what train.py writes, with where it was trained', () => {
    const run = parseImportedRun(results(), 'metrics.json');
    expect(run.classes).toEqual(['happy', 'sad']);
    expect(run.history).toHaveLength(3);
    expect(run.batches).toHaveLength(1);
    expect(run.origin).toBe('trained in PyTorch 1.13.0 on 2 × CPU (x86_64) (gloo)');
    expect(run.counts?.test).toEqual([2, 2]);
    // No bestEpoch in the file: the lowest validation loss, as the lab defines it.
    expect(run.bestEpoch).toBe(2);
    expect(run.totalMs).toBe(36);
  });

  it('names what is wrong with a file it cannot use', () => {
    expect(() => parseImportedRun('{', 'x.json')).toThrow(/x.json is not a run the lab can import: it is not JSON/);
    expect(() => parseImportedRun(results({ history: [] }), 'm.json')).toThrow(/no finished epoch/);
    expect(() => parseImportedRun(results({ classes: ['only'] }), 'm.json')).toThrow(/lists no classes/);
    const nan = { ...epoch(1, 0.5), validationLoss: null };
    expect(() => parseImportedRun(results({ history: [nan] }), 'm.json')).toThrow(/history\[0\]\.validationLoss is not a finite number/);
    const wrongShape = { ...epoch(1, 0.5), confusion: [[1, 2, 3]] };
    expect(() => parseImportedRun(results({ history: [wrongShape] }), 'm.json')).toThrow(/2×2 matrix/);
    const badRegime = { config: { ...DEFAULT_TRAIN_CONFIG, regime: 'mystery' } };
    expect(() => parseImportedRun(results({ training: badRegime }), 'm.json')).toThrow(/regime "mystery"/);
  });
});
