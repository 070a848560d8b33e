import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages } from '../train/evaluate.ts';
import { syntheticDataset, testConfig } from '../train/testing/synthetic-dataset.ts';
import { buildTinyModel } from '../train/testing/tiny-model.ts';
import { rankTopLosses, splitLogProbabilities, SUSPECT_CONFIDENCE } from './top-losses.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const log = (rows: number[][]) => Float32Array.from(rows.flat().map(Math.log));

describe('rankTopLosses', () => {
  it('ranks by −ln p(true class), highest first, and flags confident wrong answers only', () => {
    const labels = Int32Array.of(0, 1, 2, 0);
    const probabilities = [
      [0.7, 0.2, 0.1], // right: loss ln(1/0.7)
      [0.9, 0.05, 0.05], // wrong and confident: likely mislabelled
      [0.5, 0.2, 0.3], // wrong, unsure
      [0.1, 0.05, 0.85], // wrong and confident too
    ];
    const ranked = rankTopLosses(labels, log(probabilities), 3, 3);
    expect(ranked.map((r) => r.index)).toEqual([1, 3, 2]);
    expect(ranked[0]).toMatchObject({ trueClass: 1, predictedClass: 0, likelyMislabelled: true });
    expect(ranked[0]?.loss).toBeCloseTo(-Math.log(0.05), 5);
    expect(ranked[0]?.probability).toBeCloseTo(0.9, 5);
    expect(ranked[0]?.trueProbability).toBeCloseTo(0.05, 5);
    expect(ranked[1]).toMatchObject({ predictedClass: 2, likelyMislabelled: 0.85 >= SUSPECT_CONFIDENCE });
    expect(ranked[2]).toMatchObject({ predictedClass: 0, likelyMislabelled: false });
  });

  it('refuses probabilities that do not fit the labels', () => {
    expect(() => rankTopLosses(Int32Array.of(0, 1), new Float32Array(5), 3, 1)).toThrow(/5 log-probabilities for 2 images of 3 classes/);
  });
});

describe('splitLogProbabilities', () => {
  it('gives per-image losses whose mean is the split loss of evaluation, and leaves no tensor behind', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const images = syntheticDataset({ train: 1, validation: 3 }).splits.validation;
    const config = { ...testConfig('finetune'), batchSize: 4 };
    const before = tf.memory().numTensors;
    const logProbabilities = await splitLogProbabilities(model, images, config);
    expect(tf.memory().numTensors).toBe(before);
    const labels = Int32Array.from(images, (image) => image.classIndex);
    const ranked = rankTopLosses(labels, logProbabilities, 3, images.length);
    const evaluated = await evaluateImages(model, images, config);
    expect(ranked.reduce((sum, r) => sum + r.loss, 0) / images.length).toBeCloseTo(evaluated.loss, 5);
    const byIndex = [...ranked].sort((a, b) => a.index - b.index);
    expect(Int32Array.from(byIndex, (r) => r.predictedClass)).toEqual(evaluated.predictions);
    model.dispose();
  });
});
