import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../shared/types.ts';
import { BlockMovementTracker, movementBlockOf } from './block-movement.ts';
import { syntheticDataset, testConfig } from './testing/synthetic-dataset.ts';
import { buildTinyModel } from './testing/tiny-model.ts';
import { trainRun } from './trainer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = syntheticDataset({ train: 8, validation: 2 });

describe('block movement', () => {
  it('names the block of every torchvision parameter', () => {
    expect(['conv1.weight', 'bn1.bias', 'layer1.0.conv1.weight', 'layer4.2.bn3.weight', 'fc.bias'].map(movementBlockOf)).toEqual([
      'conv1+bn1',
      'conv1+bn1',
      'layer1',
      'layer4',
      'fc',
    ]);
  });

  it('is ‖W − W₀‖ / ‖W₀‖ over all of a block’s parameters, and frees what it measures with', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 2 });
    const before = tf.memory().numTensors;
    const tracker = await BlockMovementTracker.capture(model);
    const names = [...model.params.keys()].filter((n) => n.startsWith('layer3.'));
    const w0 = names.map((n) => Array.from(model.params.get(n)?.dataSync() ?? []));
    for (const n of names) {
      const v = model.params.get(n) as tf.Variable;
      const next = tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', 7)));
      v.assign(next);
      next.dispose();
    }
    const w1 = names.map((n) => Array.from(model.params.get(n)?.dataSync() ?? []));
    const norm = (xs: number[][]) => Math.sqrt(xs.flat().reduce((s, x) => s + x * x, 0));
    const expected = norm(w1.map((row, i) => row.map((x, j) => x - (w0[i]?.[j] ?? 0)))) / norm(w0);
    const moved = await tracker.measure(model);
    expect(moved.layer3).toBeCloseTo(expected, 5);
    expect(moved.layer3).toBeGreaterThan(0);
    expect([moved['conv1+bn1'], moved.layer1, moved.layer2, moved.layer4, moved.fc]).toEqual([0, 0, 0, 0, 0]);
    tracker.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  const movementOf = async (regime: 'frozen-lower' | 'linear'): Promise<EpochMetrics[]> => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const result = await trainRun(model, data, testConfig(regime));
    model.dispose();
    return result.history;
  };

  it('is kept with every epoch: frozen blocks stay at 0, trained blocks move further each epoch', async () => {
    const history = await movementOf('frozen-lower');
    expect(history).toHaveLength(2);
    for (const epoch of history) {
      expect(epoch.blockMovement?.layer1).toBe(0);
      expect(epoch.blockMovement?.layer2).toBe(0);
      expect(epoch.blockMovementMs).toBeGreaterThanOrEqual(0);
    }
    for (const block of ['conv1+bn1', 'layer3', 'layer4', 'fc'] as const) {
      expect(history[0]?.blockMovement?.[block]).toBeGreaterThan(0);
      expect(history[1]?.blockMovement?.[block]).toBeGreaterThan(history[0]?.blockMovement?.[block] ?? Infinity);
    }
    const linear = await movementOf('linear');
    expect(linear[1]?.blockMovement).toMatchObject({ 'conv1+bn1': 0, layer1: 0, layer2: 0, layer3: 0, layer4: 0 });
    expect(linear[1]?.blockMovement?.fc).toBeGreaterThan(0);
  });
});
