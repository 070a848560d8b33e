import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGIME_IDS } from '../../shared/regimes.ts';
import type { ResNet50 } from '../model.ts';
import { compareToSummary, loadGolden, type TensorSummary } from '../testing/golden.ts';
import { buildGoldenResNet50, goldenInput, torchLayoutData } from '../testing/golden-model.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { WeightSnapshot } from './checkpoint.ts';
import { buildParamGroups, trainableVariables } from './param-groups.ts';
import { MomentumSgd } from './sgd.ts';
import { trainStep } from './step.ts';

const golden = loadGolden();
const TOL = 1e-3;

/** golden "after" minus golden "before", on the values both summaries hold. */
function expectedDelta(after: TensorSummary, before: TensorSummary): TensorSummary {
  const minus = (a?: readonly number[], b?: readonly number[]) => a && b && a.map((v, i) => v - (b[i] as number));
  return {
    shape: after.shape,
    values: minus(after.values, before.values),
    head: minus(after.head, before.head),
    strided: minus(after.strided, before.strided),
  };
}

describe('one training step on the golden ResNet50 matches PyTorch (wasm)', () => {
  let model: ResNet50;
  const initial = new WeightSnapshot();
  beforeAll(async () => {
    await useWasmBackend();
    model = buildGoldenResNet50();
    initial.capture(model);
  });
  afterAll(() => {
    initial.dispose();
    model.dispose();
  });

  for (const regime of REGIME_IDS) {
    it(regime, async () => {
      const expected = golden.regimes[regime]!;
      initial.restore(model);
      const before = Object.fromEntries(Object.keys(expected.paramsAfterStep).map((n) => [n, torchLayoutData(n, model.params.get(n)!)]));
      const groups = buildParamGroups(model.params, expected.learningRates);
      const optimizer = new MomentumSgd(groups, 0.9);
      const x = goldenInput();
      const labels = tf.tensor1d([...golden.meta.labels], 'int32');
      const stats = trainStep({
        logits: () => model.forward(x, { training: true }),
        labels,
        classWeights: null,
        trainable: trainableVariables(groups),
        optimizer,
        lrScale: 1,
      });
      const [loss] = await stats.data();
      tf.dispose([x, labels, stats]);
      optimizer.dispose();
      expect(Math.abs(loss! - expected.loss) / expected.loss).toBeLessThan(TOL);
      const report: string[] = [];
      for (const [name, after] of Object.entries(expected.paramsAfterStep)) {
        const actual = torchLayoutData(name, model.params.get(name)!);
        const frozen = expected.learningRates[name.split('.')[0] as keyof typeof expected.learningRates] === 0;
        if (frozen) {
          expect(Array.from(actual), `${name} is frozen`).toEqual(Array.from(before[name]!));
          continue;
        }
        const paramErr = compareToSummary(actual, after).maxRel;
        const delta = actual.map((v, i) => v - before[name]![i]!);
        const deltaErr = compareToSummary(delta, expectedDelta(after, golden.initial[name]!)).maxRel;
        report.push(`${name} ${paramErr.toExponential(1)} (Δ ${deltaErr.toExponential(1)})`);
        expect(paramErr, name).toBeLessThan(TOL);
        // The update lr·v itself, to 1 %: float32 cancellation in (after − before) dominates at lr 0.001.
        expect(deltaErr, `${name} update`).toBeLessThan(1e-2);
      }
      console.info(`[${regime}] rel err after one step: ${report.join(', ')}`);
    });
  }
});
