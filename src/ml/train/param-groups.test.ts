import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIMES, type RegimeId } from '../../shared/regimes.ts';
import type { ResNet50 } from '../model.ts';
import { buildParamGroups, learningRateTable, onlyClassifierTrains, trainableVariables } from './param-groups.ts';
import { buildTinyModel } from './testing/tiny-model.ts';

let model: ResNet50;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = buildTinyModel({ numClasses: 3, seed: 1 });
});
afterAll(() => model.dispose());

const expected: Record<RegimeId, (name: string) => number> = {
  linear: (n) => (n.startsWith('fc.') ? 0.005 : 0),
  finetune: () => 0.01,
  discriminative: (n) => (n.startsWith('fc.') ? 0.01 : 0.001),
  'frozen-lower': (n) => (n.startsWith('fc.') ? 0.01 : n.startsWith('layer1.') || n.startsWith('layer2.') ? 0 : 0.001),
};

describe('parameter groups', () => {
  for (const regime of Object.values(REGIMES)) {
    it(`${regime.id}: every parameter gets the seed's learning rate`, () => {
      const table = learningRateTable(model.params, regime.learningRates);
      expect(table.size).toBe(model.params.size);
      for (const [name, lr] of table) expect([name, lr]).toEqual([name, expected[regime.id](name)]);
      const groups = buildParamGroups(model.params, regime.learningRates);
      const trained = new Set(trainableVariables(groups));
      for (const [name, variable] of model.params) expect([name, trained.has(variable)]).toEqual([name, table.get(name)! > 0]);
      for (const group of groups) for (const name of group.names) expect(table.get(name)).toBe(group.lr);
    });
  }

  it('only the linear probe counts as classifier-only', () => {
    expect(onlyClassifierTrains(REGIMES.linear.learningRates)).toBe(true);
    for (const id of ['finetune', 'discriminative', 'frozen-lower'] as const)
      expect(onlyClassifierTrains(REGIMES[id].learningRates)).toBe(false);
  });

  it('frozen variables receive no gradient', () => {
    const vars = trainableVariables(buildParamGroups(model.params, REGIMES['frozen-lower'].learningRates));
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(x, { training: false })) as tf.Scalar, vars);
    const names = new Set(Object.keys(grads));
    expect(names.size).toBe(vars.length);
    for (const [name, variable] of model.params) {
      expect([name, names.has(variable.name)]).toEqual([name, !(name.startsWith('layer1.') || name.startsWith('layer2.'))]);
    }
    tf.dispose([x, value, grads]);
  });
});
