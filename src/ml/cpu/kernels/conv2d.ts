import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../active-engine.ts';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from '../ops/conv.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { convGeometry, cpuConvSupports, makeOutput, requireCpuEngine } from './common.ts';
import { addWasmKernel, replaceWasmKernel } from './replace-kernel.ts';

/** The Conv2D attributes every convolution kernel takes. */
type ConvAttrs = { strides: number | [number, number]; pad: tf.Conv2DAttrs['pad']; dimRoundingMode?: tf.Conv2DAttrs['dimRoundingMode'] };

function info(
  inputShape: number[],
  filterShape: number[],
  attrs: ConvAttrs & { dilations?: number | [number, number]; dataFormat?: string },
) {
  return tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    attrs.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast',
  );
}

/**
 * The three convolution kernels of training on the CPU kernels, registered over tfjs-backend-wasm's
 * Conv2D and Conv2DBackpropInput (which take what ours do not: dilation, other dtypes) and as the
 * Conv2DBackpropFilter it lacks.
 */
export function registerCpuConvolutions(): void {
  replaceWasmKernel(tf.Conv2D, (builtIn) => (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const c = info(x.shape, filter.shape, args.attrs as unknown as tf.Conv2DAttrs);
    const engine = activeCpuEngine();
    if (!engine || !cpuConvSupports(c, x, filter)) return builtIn(args);
    const y = makeOutput(args.backend, c.outShape);
    conv2dForward(engine, convGeometry(c), heapAddress(args.backend, x), heapAddress(args.backend, filter), heapAddress(args.backend, y));
    return y;
  });

  replaceWasmKernel(tf.Conv2DBackpropInput, (builtIn) => (args) => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const c = info([...attrs.inputShape], filter.shape, attrs);
    const engine = activeCpuEngine();
    if (!engine || !cpuConvSupports(c, dy, filter)) return builtIn(args);
    checkDy('Conv2DBackpropInput', dy, c);
    const dx = makeOutput(args.backend, [...attrs.inputShape]);
    conv2dBackpropInput(
      engine,
      convGeometry(c),
      heapAddress(args.backend, dy),
      heapAddress(args.backend, filter),
      heapAddress(args.backend, dx),
    );
    return dx;
  });

  addWasmKernel(tf.Conv2DBackpropFilter, (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const c = info(x.shape, [...attrs.filterShape], attrs);
    checkDy('Conv2DBackpropFilter', dy, c);
    const engine = requireCpuEngine('Conv2DBackpropFilter');
    const dw = makeOutput(args.backend, [...attrs.filterShape]);
    if (c.batchSize * c.outHeight * c.outWidth === 0) {
      // No pixel reaches the filter: its gradient is zero.
      engine.floats().fill(0, heapAddress(args.backend, dw) / 4, heapAddress(args.backend, dw) / 4 + tf.util.sizeFromShape(dw.shape));
      return dw;
    }
    if (!cpuConvSupports(c, x, dy)) throw new Error('Conv2DBackpropFilter (wasm) takes float32 NHWC convolutions with dilation 1');
    conv2dBackpropFilter(
      engine,
      convGeometry(c),
      heapAddress(args.backend, x),
      heapAddress(args.backend, dy),
      heapAddress(args.backend, dw),
    );
    return dw;
  });
}

function checkDy(kernel: string, dy: tf.TensorInfo, c: tf.backend_util.Conv2DInfo): void {
  if (!tf.util.arraysEqual(dy.shape, c.outShape))
    throw new Error(`${kernel} (wasm): dy shape [${dy.shape}] does not match the conv output [${c.outShape}]`);
}
