import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellIndices, evaluateImages, predictProbabilities } from './evaluate.ts';
import { trainRun } from './trainer.ts';
import { syntheticDataset, testConfig } from './testing/synthetic-dataset.ts';
import { buildTinyModel } from './testing/tiny-model.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluate', () => {
  it('predicts the same classes as the run’s last validation and finds the images of a cell', async () => {
    const data = syntheticDataset({ train: 8, validation: 5 });
    const model = buildTinyModel({ numClasses: 3, seed: 2 });
    const config = testConfig('finetune', { epochs: 1 });
    const result = await trainRun(model, data, config);
    const evaluation = await evaluateImages(model, data.splits.validation, config);
    expect(Array.from(evaluation.predictions)).toEqual(Array.from(result.validation!.predictions));
    expect(evaluation.accuracy).toBeCloseTo(result.history[0]!.validationAccuracy, 12);
    const diagonal = [0, 1, 2].reduce((n, c) => n + cellIndices(evaluation, c, c, 100).length, 0);
    expect(diagonal / data.splits.validation.length).toBeCloseTo(evaluation.accuracy, 12);
    for (const i of cellIndices(evaluation, 0, 1, 100)) expect([evaluation.labels[i], evaluation.predictions[i]]).toEqual([0, 1]);
    expect(cellIndices(evaluation, 0, 0, 1).length).toBeLessThanOrEqual(1);

    const image = data.splits.validation[3]!;
    const probabilities = await predictProbabilities(model, image, config.inputSize);
    expect(probabilities).toHaveLength(3);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(evaluation.predictions[3]);
    model.dispose();
  });
});
