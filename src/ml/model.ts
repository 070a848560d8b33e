import type * as tf from '@tensorflow/tfjs-core';

/** What a forward pass does with BatchNorm and which blocks it runs. */
export interface ForwardOptions {
  /**
   * true: PyTorch `train()` semantics. Every BN layer normalises with the batch statistics (biased
   * variance) and updates its running statistics (momentum 0.1, unbiased variance), frozen layers
   * included, exactly as the seed's `model.train()` did. false: running statistics, nothing updated.
   */
  readonly training: boolean;
}

/**
 * torchvision's ResNet50 (v1.5) as plain tf.Variables keyed by torchvision state_dict names.
 * Layouts: conv weights HWIO [kh, kw, in, out]; `fc.weight` [in, out]; BN vectors [C].
 * The model owns every variable; `dispose()` frees them all.
 */
export interface ResNet50 {
  readonly numClasses: number;
  /** Trainable parameters: conv/fc weights, fc bias, BN weight (gamma) and bias (beta). Insertion order = forward order. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** BN buffers: `*.running_mean`, `*.running_var` (not trainable; `num_batches_tracked` is not kept). */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /**
   * x: [B, H, W, 3] float32, already ImageNet-normalised. Returns the last bottleneck's (layer4's)
   * output after its ReLU, [B, ⌈H/32⌉, ⌈W/32⌉, 2048]: the activations Grad-CAM weighs.
   */
  featureMap(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D;
  /** x: [B, H, W, 3] float32, already ImageNet-normalised. Returns pooled features [B, 2048] (featureMap's spatial mean). */
  features(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  /** features [B, 2048] → logits [B, numClasses]. */
  head(features: tf.Tensor2D): tf.Tensor2D;
  /** x → logits [B, numClasses]; equals head(features(x)). */
  forward(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D;
  dispose(): void;
}
