/**
 * Grad-CAM (Selvaraju et al., 2017) on the last bottleneck: where the model looks for one class.
 * With A = layer4's output [h, w, C] and y_c the class's logit, each channel's weight is the
 * spatial mean of ∂y_c/∂A, the map is ReLU(Σ_k weight_k · A_k) at layer4's resolution, then
 * bilinearly upsampled to the input as PyTorch's `F.interpolate(mode='bilinear', align_corners=False)`.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../model.ts';

/** One image's Grad-CAM; maps are row-major and not normalised (their maximum is whatever it is). */
export interface GradCam {
  /** The class the map explains: the one asked for, or the predicted one. */
  readonly classIndex: number;
  /** ReLU(Σ weight·activation) at layer4's resolution, [height][width]. */
  readonly map: Float32Array;
  readonly height: number;
  readonly width: number;
  /** `map` bilinearly upsampled to the input's size, [inputHeight][inputWidth]. */
  readonly upsampled: Float32Array;
  readonly inputHeight: number;
  readonly inputWidth: number;
  /** The image's logits [numClasses] (BN in inference mode). */
  readonly logits: Float32Array;
}

/**
 * The Grad-CAM tensors of one normalised image `input` [1, H, W, 3] for `classIndex` (null: the
 * predicted class), with BN in inference mode: [map [h, w], upsampled [H, W], logits [K], class [1]
 * int32]. The caller owns the four tensors; nothing else is left allocated.
 */
export function gradCamTensors(
  model: ResNet50,
  input: tf.Tensor4D,
  classIndex: number | null,
): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D] {
  if (input.shape[0] !== 1) throw new Error(`Grad-CAM explains one image at a time, got a batch of ${input.shape[0]}`);
  if (classIndex !== null && !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < model.numClasses))
    throw new Error(`class ${classIndex} is not one of the model's ${model.numClasses} classes`);
  return tf.tidy(() => {
    const activations = model.featureMap(input, { training: false });
    const [, h, w] = activations.shape;
    const logitsOf = (a: tf.Tensor4D) => model.head(tf.mean(a, [1, 2]) as tf.Tensor2D);
    const logits = logitsOf(activations);
    const target = classIndex === null ? tf.argMax(logits, 1) : tf.tensor1d([classIndex], 'int32');
    // A constant one-hot mask picks y_c, so the predicted class needs no read back to the host first.
    const mask = tf.oneHot(target, model.numClasses).toFloat();
    const gradient = tf.grad((a) => tf.sum(tf.mul(logitsOf(a as tf.Tensor4D), mask)))(activations);
    const weights = tf.mean(gradient, [1, 2], true);
    const map = tf.relu(tf.sum(tf.mul(activations, weights), 3)) as tf.Tensor3D;
    const upsampled = tf.image.resizeBilinear(map.expandDims(3) as tf.Tensor4D, [input.shape[1], input.shape[2]], false, true);
    return [
      map.reshape([h, w]) as tf.Tensor2D,
      upsampled.reshape([input.shape[1], input.shape[2]]) as tf.Tensor2D,
      logits.reshape([model.numClasses]) as tf.Tensor1D,
      target.toInt() as tf.Tensor1D,
    ];
  });
}

/** {@link gradCamTensors} read back to the host; every tensor it made is freed. */
export async function computeGradCam(model: ResNet50, input: tf.Tensor4D, classIndex: number | null): Promise<GradCam> {
  const tensors = gradCamTensors(model, input, classIndex);
  try {
    const [map, upsampled, logits, target] = await Promise.all(tensors.map((t) => t.data()));
    const [h, w] = tensors[0].shape;
    const [inputHeight, inputWidth] = tensors[1].shape;
    return {
      classIndex: (target as Int32Array)[0] ?? 0,
      map: map as Float32Array,
      height: h,
      width: w,
      upsampled: upsampled as Float32Array,
      inputHeight,
      inputWidth,
      logits: logits as Float32Array,
    };
  } finally {
    tf.dispose(tensors);
  }
}
