import * as tf from '@tensorflow/tfjs';

/**
 * Class weights by inverse training frequency, normalised so that the mean weight of a training
 * sample is 1: w_c = N / (K · n_c) with K the classes present (sklearn's "balanced"); absent classes get 0.
 */
export function inverseFrequencyWeights(labels: readonly { readonly classIndex: number }[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const { classIndex } of labels) counts[classIndex] = (counts[classIndex] ?? 0) + 1;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? labels.length / (present * n) : 0));
}

/**
 * Per-sample cross-entropy terms for PyTorch's `CrossEntropyLoss(weight=w, reduction='mean')`:
 * returns [Σ w_y·nll, Σ w_y] (both scalars), so means over several batches stay exact.
 * logits [B, K] float32, labels [B] int32, classWeights [K] or null (all 1).
 */
export function crossEntropyParts(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights: tf.Tensor1D | null): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), 1));
    if (classWeights === null) return [tf.sum(nll), tf.scalar(logits.shape[0])];
    const w = tf.gather(classWeights, labels);
    return [tf.sum(tf.mul(nll, w)), tf.sum(w)];
  });
}

/** The mean (weighted) cross-entropy of a batch, as a scalar loss to differentiate. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights: tf.Tensor1D | null): tf.Scalar {
  return tf.tidy(() => {
    const [sum, weight] = crossEntropyParts(logits, labels, classWeights);
    return tf.div(sum, weight);
  });
}

/** Number of rows whose arg-max equals the label (scalar float32). */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
}
