import * as tf from '@tensorflow/tfjs';

/** torchvision's ImageNet channel means (RGB), applied after scaling pixels to [0, 1]. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** torchvision's ImageNet channel standard deviations (RGB). */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
/** Pixels are divided by this first (transforms.ToTensor). */
export const PIXEL_SCALE = 255;

/**
 * ToTensor + Normalize exactly as torchvision computes them: float32(x) / 255, then
 * (v − mean[c]) / std[c], in that order so the float32 rounding matches. Grayscale input
 * (C = 1) is repeated to three channels first, like PIL's convert('RGB').
 *
 * images: uint8 (or int32 holding 0..255) [B, H, W, C], C ∈ {1, 3} → float32 [B, H, W, 3].
 * Returns a new tensor owned by the caller; the input is not disposed.
 */
export function normalizeImageBatch(images: tf.Tensor4D): tf.Tensor4D {
  const channels = images.shape[3];
  if (channels !== 1 && channels !== 3)
    throw new Error(`normalizeImageBatch expects 1 or 3 channels, got shape [${images.shape.join(', ')}]`);
  return tf.tidy(() => {
    const rgb = channels === 1 ? tf.tile(images, [1, 1, 1, 3]) : images;
    const scaled = tf.div(tf.cast(rgb, 'float32'), PIXEL_SCALE);
    return tf.div(tf.sub(scaled, tf.tensor1d([...IMAGENET_MEAN])), tf.tensor1d([...IMAGENET_STD])) as tf.Tensor4D;
  });
}
