/**
 * Conv2D on WebGPU, for the convolutions tfjs-backend-webgpu's tiled kernel runs on too few
 * workgroups: few output pixels and channels over a long reduction (ResNet's late layers at small
 * inputs or batches). Those can become a split-K product (conv-product.ts); the rest stay tfjs' own.
 * Off unless asked for: on SwiftShader (the only adapter measured so far) it did not pay; the GPU
 * benchmark times it both ways on a real GPU.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { PRODUCT_TILE } from './conv-product-program.ts';
import { productSplits, runConvProduct } from './conv-product.ts';

/**
 * tfjs flag: 'never' (default) leaves every forward convolution to tfjs-webgpu; 'auto' takes those
 * split-K should help (few output tiles over a long reduction); 'always' takes every one (the kernel tests).
 */
export const WEBGPU_CONV_SPLIT_FLAG = 'EXPRESSION_LAB_WEBGPU_CONV_SPLIT';
tf.env().registerFlag(WEBGPU_CONV_SPLIT_FLAG, () => 'never');

/** The kernel function, given tfjs' built-in one for what it does not take. */
export function conv2dWebGpu(builtIn: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args as unknown as { inputs: { x: tf.TensorInfo; filter: tf.TensorInfo }; attrs: tf.Conv2DAttrs };
    const { x, filter } = inputs;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
    );
    const mode = tf.env().get(WEBGPU_CONV_SPLIT_FLAG);
    const supported =
      info.dataFormat === 'channelsLast' &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1 &&
      x.dtype === 'float32' &&
      filter.dtype === 'float32';
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const depth = info.filterHeight * info.filterWidth * info.inChannels;
    // Split only where the output alone leaves most of the GPU idle.
    const wanted =
      productSplits(pixels, info.outChannels, depth) > 1 &&
      Math.ceil(pixels / PRODUCT_TILE) * Math.ceil(info.outChannels / PRODUCT_TILE) < 32;
    if (!supported || mode === 'never' || (mode !== 'always' && !wanted)) return builtIn(args);
    return runConvProduct(args.backend as unknown as WebGPUBackend, 'forward', info, x, filter, [...info.outShape]);
  };
}
