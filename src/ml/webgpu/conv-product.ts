/**
 * Runs a convolution's product (conv-product-program.ts) on tfjs-backend-webgpu: the split count,
 * the product, then the sum of the slabs (or a reshape when there is one). The result has `shape`.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { ConvProductProgram, PRODUCT_TILE, PRODUCT_TILE_K, convProductUniforms, type ConvProductKind } from './conv-product-program.ts';
import { SplitSumProgram } from './split-sum-program.ts';

/** Workgroups a product should have at least (past that, splitting the reduction further only adds a pass). */
const TARGET_WORKGROUPS = 128;
/** Fewest reduction values a split covers: below this the second pass costs more than the split saves. */
const MIN_DEPTH_PER_SPLIT = 256;
const MAX_SPLITS = 64;

/** How many slices the reduction of a rows x cols output over `depth` values is cut into. */
export function productSplits(rows: number, cols: number, depth: number): number {
  const tiles = Math.ceil(rows / PRODUCT_TILE) * Math.ceil(cols / PRODUCT_TILE);
  const wanted = Math.ceil(TARGET_WORKGROUPS / tiles);
  return Math.max(1, Math.min(wanted, Math.floor(depth / MIN_DEPTH_PER_SPLIT), MAX_SPLITS));
}

/** Whether the convolution is a plain product: 1x1, stride 1, no padding. */
function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  );
}

/**
 * The `kind` product of convolution `info` on x and b (dy for the filter gradient, the filter for the
 * forward), as a new tensor of `shape` (dW in HWIO, or y in NHWC: the product's layout already).
 */
export function runConvProduct(
  backend: WebGPUBackend,
  kind: ConvProductKind,
  info: tf.backend_util.Conv2DInfo,
  x: tf.TensorInfo,
  b: tf.TensorInfo,
  shape: number[],
): tf.TensorInfo {
  const filterRows = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const [rows, depth] = kind === 'filter-gradient' ? [filterRows, pixels] : [pixels, filterRows];
  const cols = info.outChannels;
  // Values per split, a whole number of steps; the split count then follows (no empty split).
  const chunk = Math.ceil(depth / productSplits(rows, cols, depth) / PRODUCT_TILE_K) * PRODUCT_TILE_K;
  const splits = Math.ceil(depth / chunk);
  const program = new ConvProductProgram(kind, rows, cols, splits, isPointwise(info));
  // prettier-ignore
  const uniforms = convProductUniforms({
    rows, cols, depth, chunk,
    inHeight: info.inHeight, inWidth: info.inWidth, inChannels: info.inChannels, outHeight: info.outHeight, outWidth: info.outWidth,
    filterWidth: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  });
  const product = backend.runWebGPUProgram(program, [x, b], 'float32', uniforms);
  if (splits === 1) {
    // [1, rows, cols] is the result's layout already: a reshape shares the buffer.
    const reshape = tf.getKernel(tf.Reshape, 'webgpu');
    if (!reshape) throw new Error('the WebGPU convolution products need the Reshape kernel');
    const out = reshape.kernelFunc({ inputs: { x: product }, backend, attrs: { shape } }) as tf.TensorInfo;
    backend.disposeData(product.dataId);
    return out;
  }
  const sum = backend.runWebGPUProgram(new SplitSumProgram(shape), [product], 'float32', [{ type: 'int32', data: [splits] }]);
  backend.disposeData(product.dataId);
  return sum;
}
