import * as tf from '@tensorflow/tfjs';
import { correctCount, crossEntropy } from './loss.ts';
import type { MomentumSgd } from './sgd.ts';

/** What one training step needs; every tensor is borrowed. */
export interface StepInputs {
  /** Builds the batch's logits [B, K] inside the gradient tape (backbone forward, or head on cached features). */
  readonly logits: () => tf.Tensor2D;
  /** [B] int32 */
  readonly labels: tf.Tensor1D;
  /** [K] or null (unweighted). */
  readonly classWeights: tf.Tensor1D | null;
  /** Variables of the groups with lr > 0; nothing else gets a gradient. */
  readonly trainable: readonly tf.Variable[];
  readonly optimizer: MomentumSgd;
  readonly lrScale: number;
}

/**
 * One SGD step: a single `tf.variableGrads` over the trainable variables, then one update per group.
 * Returns [loss, correct] (float32 [2]) for an asynchronous read; the caller owns it.
 */
export function trainStep(inputs: StepInputs): tf.Tensor1D {
  let stats: tf.Tensor1D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const logits = inputs.logits();
    const loss = crossEntropy(logits, inputs.labels, inputs.classWeights);
    // Kept past the tape's scope; not on the path to the loss, so it costs no gradient.
    stats = tf.keep(tf.stack([loss, correctCount(logits, inputs.labels)]) as tf.Tensor1D);
    return loss;
  }, inputs.trainable as tf.Variable[]);
  inputs.optimizer.step(grads, inputs.lrScale);
  tf.dispose([value, grads]);
  if (stats === null) throw new Error('training step produced no statistics');
  return stats;
}
