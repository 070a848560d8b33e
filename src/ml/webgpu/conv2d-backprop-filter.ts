/**
 * Conv2DBackpropFilter on WebGPU as a tiled, split-K product (conv-product.ts). NHWC float32 with at
 * least 64 pixels; anything else goes to tfjs-backend-webgpu's own kernel (one invocation a filter
 * value, each looping over every pixel alone: fine when there are few pixels, slow otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { runConvProduct } from './conv-product.ts';

/**
 * tfjs flag: 'auto' (default) tiles from 64 pixels up; 'always' tiles every convolution (the kernel
 * tests set it, so every shape of the table goes through the tiled product).
 */
export const WEBGPU_FILTER_TILING_FLAG = 'EXPRESSION_LAB_WEBGPU_FILTER_TILING';
tf.env().registerFlag(WEBGPU_FILTER_TILING_FLAG, () => 'auto');

/**
 * Below this many pixels the reduction is too short to tile (most of a 16-pixel step would be zeros,
 * and dW is mostly written, not summed): tfjs' own kernel does less work.
 */
const MIN_PIXELS_TO_TILE = 64;

/** The kernel function, given tfjs' built-in one for what it does not take. */
export function conv2dBackpropFilterWebGpu(builtIn: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as unknown as { inputs: { x: tf.TensorInfo; dy: tf.TensorInfo }; attrs: tf.Conv2DBackpropFilterAttrs };
    const { x, dy } = inputs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      [...attrs.filterShape] as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const tiled = pixels >= MIN_PIXELS_TO_TILE || tf.env().get(WEBGPU_FILTER_TILING_FLAG) === 'always';
    if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32' || !tiled) return builtIn(args);
    return runConvProduct(args.backend as unknown as WebGPUBackend, 'filter-gradient', info, x, dy, [...attrs.filterShape]);
  };
}
