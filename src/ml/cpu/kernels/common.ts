import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../active-engine.ts';
import type { CpuEngine } from '../engine.ts';
import type { ConvGeometry } from '../ops/conv-geometry.ts';

/** The parts of BackendWasm a kernel needs to make its outputs. */
interface OutputMaker {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** A new float32 tensor on the wasm heap (contents undefined); the engine owns it once returned. */
export function makeOutput(backend: tf.KernelBackend, shape: number[]): tf.TensorInfo {
  return (backend as unknown as OutputMaker).makeOutput(shape, 'float32');
}

/** The active engine, or an error naming `kernel` for the kernels that have no built-in fallback. */
export function requireCpuEngine(kernel: string): CpuEngine {
  const engine = activeCpuEngine();
  if (!engine) throw new Error(`${kernel} on wasm needs the lab's CPU kernels, which did not start`);
  return engine;
}

/** tfjs' convolution info as the kernels' geometry (dilation 1, NHWC). */
export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
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
  };
}

/** Whether the kernels take this convolution: float32, NHWC, dilation 1, not empty. */
export function cpuConvSupports(info: tf.backend_util.Conv2DInfo, ...tensors: tf.TensorInfo[]): boolean {
  return (
    tensors.every((t) => t.dtype === 'float32') &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outChannels, info.outHeight, info.outWidth].every((d) => d > 0)
  );
}
