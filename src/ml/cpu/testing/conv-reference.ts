/**
 * The reference for the convolution kernels: tfjs' cpu backend, run on the same seeded tensors.
 * Forward, input gradient and filter gradient of one ConvCase, with the geometry the CPU ops take.
 */
import * as tf from '@tensorflow/tfjs';
import { seeded, type ConvCase, type Shape4 } from '../../testing/conv-cases.ts';
import type { ConvGeometry } from '../ops/conv-geometry.ts';

/** One case's tensors (values), its geometry, and tfjs cpu's three results. */
export interface ConvReference {
  readonly geometry: ConvGeometry;
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly dy: Float32Array;
  readonly y: Float32Array;
  readonly dx: Float32Array;
  readonly dw: Float32Array;
}

/** Computes the reference on the cpu backend (switching to it; the caller switches back). */
export async function convReference(c: ConvCase): Promise<ConvReference> {
  await tf.setBackend('cpu');
  const xShape: Shape4 = [c.batch, c.size, c.size + 1, c.ci];
  const wShape: Shape4 = [c.k, c.k, c.ci, c.co];
  const info = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad);
  return tf.tidy(() => {
    const [x, w, dy] = [seeded(xShape, 1), seeded(wShape, 2), seeded(info.outShape as Shape4, 3)];
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
    const dx = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { ...attrs, inputShape: xShape }) as tf.Tensor;
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: wShape }) as tf.Tensor;
    const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
    return {
      geometry: {
        n: info.batchSize,
        h: info.inHeight,
        w: info.inWidth,
        ci: info.inChannels,
        co: info.outChannels,
        kh: info.filterHeight,
        kw: info.filterWidth,
        sh: info.strideHeight,
        sw: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        oh: info.outHeight,
        ow: info.outWidth,
      },
      x: read(x),
      w: read(w),
      dy: read(dy),
      y: read(tf.conv2d(x, w, c.stride, c.pad)),
      dx: read(dx),
      dw: read(dw),
    };
  });
}
