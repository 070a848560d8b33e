import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResNet50 } from '../model.ts';
import { lrRangeTest, lrSuggestions, sweepLr } from './lr-find.ts';
import { syntheticDataset, testConfig } from './testing/synthetic-dataset.ts';
import { buildTinyModel } from './testing/tiny-model.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = syntheticDataset({ train: 8, validation: 2 });
const everything = (model: ResNet50) =>
  [...model.params, ...model.buffers].map(([name, v]) => [name, new Uint32Array(v.dataSync().slice().buffer)]);

describe('LR range test', () => {
  it('grows the rate exponentially from start to end', () => {
    const options = { startLr: 1e-7, endLr: 10, maxSteps: 100 };
    expect(sweepLr(options, 0)).toBeCloseTo(1e-7, 12);
    expect(sweepLr(options, 99)).toBeCloseTo(10, 9);
    expect(sweepLr(options, 1) / sweepLr(options, 0)).toBeCloseTo(sweepLr(options, 51) / sweepLr(options, 50), 9);
  });

  it('suggests the steepest descent per log lr and the minimum / 10', () => {
    const points = [1, 0.9, 0.5, 0.45, 0.44, 0.6].map((smoothedLoss, step) => ({
      step,
      lr: 10 ** (step - 5),
      loss: smoothedLoss,
      smoothedLoss,
    }));
    const { steepest, minimumTenth } = lrSuggestions(points);
    expect(steepest).toBeCloseTo(1e-4, 12); // 0.9 → 0.5 over one decade
    expect(minimumTenth).toBeCloseTo(1e-1 / 10, 12); // the minimum, 0.44, is at 0.1
    expect(lrSuggestions(points.slice(0, 1))).toEqual({ steepest: null, minimumTenth: null });
  });

  it('stops when the loss diverges and leaves every weight and BN buffer bit-identical, with no tensor left', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const config = testConfig('discriminative', { batchSize: 4 });
    const before = everything(model);
    const tensors = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await lrRangeTest(model, data, config, { startLr: 1e-4, endLr: 1e4, maxSteps: 40 }, { onPoint: (p) => seen.push(p.lr) });
    expect(result.stoppedBy).toBe('diverged');
    expect(result.points.length).toBeLessThan(40);
    expect(seen.length).toBeGreaterThanOrEqual(result.points.length);
    expect(result.points.every((p, i) => i === 0 || p.lr > (result.points[i - 1]?.lr ?? Infinity))).toBe(true);
    expect(result.steepest).toBeGreaterThanOrEqual(1e-4);
    expect(result.minimumTenth).toBeGreaterThan(0);
    expect(everything(model)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('runs every batch when nothing diverges, wrapping around a small training split', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const result = await lrRangeTest(model, data, testConfig('linear', { batchSize: 8 }), { startLr: 1e-7, endLr: 1e-5, maxSteps: 6 });
    expect(result.stoppedBy).toBe('steps');
    expect(result.points).toHaveLength(6);
    model.dispose();
  });

  it('refuses a sweep that cannot run', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    await expect(lrRangeTest(model, data, testConfig('finetune'), { startLr: 1, endLr: 0.1, maxSteps: 10 })).rejects.toThrow(
      /0 < start < end/,
    );
    await expect(lrRangeTest(model, data, testConfig('finetune'), { startLr: 1e-7, endLr: 1, maxSteps: 1 })).rejects.toThrow(
      /at least 2 batches/,
    );
    model.dispose();
  });
});
