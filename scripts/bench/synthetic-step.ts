/**
 * The lab's training step on random inputs, for the benchmarks and the profile: the worker's own
 * parameter groups, momentum SGD and step (src/ml/train), on a ResNet50 the caller owns.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../../src/ml/model.ts';
import { buildParamGroups, trainableVariables } from '../../src/ml/train/param-groups.ts';
import { MomentumSgd } from '../../src/ml/train/sgd.ts';
import { trainStep } from '../../src/ml/train/step.ts';
import { REGIMES, type RegimeId } from '../../src/shared/regimes.ts';

/** One regime's step on a fixed random batch. Owns its inputs and optimizer, not the model. */
export interface SyntheticStep {
  /** Runs one step and waits for its result (the whole step has run on the backend). */
  run(): Promise<void>;
  dispose(): void;
}

/** A step of `regime` on `batch` N(0,1) images of `size` px (seeded) with labels i % 7, SGD momentum 0.9. */
export function syntheticStep(model: ResNet50, regime: RegimeId, size: number, batch: number): SyntheticStep {
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 7),
    'int32',
  );
  const groups = buildParamGroups(model.params, REGIMES[regime].learningRates);
  const optimizer = new MomentumSgd(groups, 0.9);
  return {
    async run() {
      const stats = trainStep({
        logits: () => model.forward(x, { training: true }),
        labels,
        classWeights: null,
        trainable: trainableVariables(groups),
        optimizer,
        lrScale: 1,
      });
      await stats.data();
      stats.dispose();
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([x, labels]);
    },
  };
}
