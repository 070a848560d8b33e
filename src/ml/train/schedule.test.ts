import { describe, expect, it } from 'vitest';
import { inverseFrequencyWeights } from './loss.ts';
import { confusionMatrix, perClassAccuracy } from './metrics.ts';
import { learningRateScale } from './schedule.ts';

describe('schedules, class weights and metrics', () => {
  it('steps and anneals per epoch like StepLR and CosineAnnealingLR', () => {
    expect([1, 2, 3, 4, 5].map((e) => learningRateScale({ kind: 'step', everyEpochs: 2, gamma: 0.1 }, e, 5))).toEqual([
      1,
      1,
      expect.closeTo(0.1, 12),
      expect.closeTo(0.1, 12),
      expect.closeTo(0.01, 12),
    ]);
    expect([1, 2, 3, 4].map((e) => learningRateScale({ kind: 'cosine' }, e, 4))).toEqual([
      1,
      expect.closeTo(0.853553, 5),
      expect.closeTo(0.5, 12),
      expect.closeTo(0.146447, 5),
    ]);
    expect(learningRateScale({ kind: 'constant' }, 7, 10)).toBe(1);
  });

  it('weights classes by inverse frequency with a mean sample weight of 1', () => {
    const labels = [0, 0, 0, 1].map((classIndex) => ({ classIndex }));
    const w = inverseFrequencyWeights(labels, 3);
    expect(w).toEqual([4 / 6, 2, 0]);
    expect(labels.reduce((s, l) => s + (w[l.classIndex] as number), 0) / labels.length).toBeCloseTo(1, 12);
  });

  it('builds the confusion matrix [true][predicted] and per-class recall', () => {
    const confusion = confusionMatrix([0, 0, 1, 2], [0, 1, 1, 0], 3);
    expect(confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(perClassAccuracy(confusion)).toEqual([0.5, 1, 0]);
  });
});
