import * as tf from '@tensorflow/tfjs';
import type { ForwardOptions, ResNet50 } from './model.ts';
import { batchNorm2d, type BatchNormOptions, type BatchNormVariables } from './batch-norm.ts';
import { globalAveragePool } from './pooling.ts';
import { torchvisionInitializer, type TensorInitializer } from './resnet50-init.ts';
import {
  bottleneckConvs,
  isBufferKind,
  RESNET50_MIN_INPUT,
  resnet50Bottlenecks,
  resnet50StateDictSpec,
  STEM_CONV,
  tfLayoutShape,
  type ConvBnSpec,
  type TensorSpec,
} from './resnet50-spec.ts';

/** Options for {@link buildResNet50}. */
export interface BuildResNet50Options {
  readonly numClasses: number;
  /** Seed of the torchvision-style random init (default 0). */
  readonly seed?: number;
  /** Replaces the random init, e.g. with golden-test values; receives torch-layout specs. */
  readonly initializer?: TensorInitializer;
}

/** Torch-layout values → a tf-layout Variable. Transposes live here and in the converter only. */
function toVariable(spec: TensorSpec, torchData: Float32Array): tf.Variable {
  const value = tf.tidy(() => {
    const t = tf.tensor(torchData, [...spec.shape], 'float32');
    if (spec.kind === 'conv') return t.transpose([2, 3, 1, 0]);
    if (spec.kind === 'fc-weight') return t.transpose([1, 0]);
    return t;
  });
  // Unnamed: tfjs registers names globally, and two models (or a test rebuild) must coexist.
  const variable = tf.variable(value, !isBufferKind(spec.kind));
  value.dispose();
  return variable;
}

/**
 * Builds torchvision's ResNet50 v1.5 (stride on each bottleneck's 3x3 conv2; stages [3, 4, 6, 3];
 * downsample = 1x1 conv stride s + BN; convs without bias; fc with bias) as tf.Variables in NHWC.
 * Padding is explicit and symmetric as in PyTorch (never 'same', which pads asymmetrically for
 * stride 2). Accepts any input side ≥ 32. The returned model owns all variables.
 */
export function buildResNet50(options: BuildResNet50Options): ResNet50 {
  const { numClasses } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`numClasses must be a positive integer, got ${numClasses}`);
  const init = options.initializer ?? torchvisionInitializer(options.seed ?? 0);
  const params = new Map<string, tf.Variable>();
  const buffers = new Map<string, tf.Variable>();
  for (const spec of resnet50StateDictSpec(numClasses)) {
    const data = init(spec);
    const expected = tfLayoutShape(spec).reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`initializer gave ${data.length} values for ${spec.name}, expected ${expected}`);
    (isBufferKind(spec.kind) ? buffers : params).set(spec.name, toVariable(spec, data));
  }
  const get = (name: string): tf.Variable => {
    const v = params.get(name) ?? buffers.get(name);
    if (!v) throw new Error(`ResNet50 has no tensor ${name}`);
    return v;
  };
  const bnOf = (name: string): BatchNormVariables => ({
    gamma: get(`${name}.weight`),
    beta: get(`${name}.bias`),
    runningMean: get(`${name}.running_mean`),
    runningVar: get(`${name}.running_var`),
  });

  const convBn = (x: tf.Tensor4D, c: ConvBnSpec, training: boolean, after: BatchNormOptions = {}): tf.Tensor4D => {
    const pad = c.pad;
    const padding: 'valid' | [[number, number], [number, number], [number, number], [number, number]] =
      pad === 0
        ? 'valid'
        : [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ];
    const y = tf.conv2d(x, get(`${c.conv}.weight`) as tf.Tensor4D, c.stride, padding);
    return batchNorm2d(y, bnOf(c.bn), training, after);
  };

  const blocks = resnet50Bottlenecks().map((b) => ({ b, convs: bottleneckConvs(b) }));

  const featureMap = (x: tf.Tensor4D, { training }: ForwardOptions): tf.Tensor4D =>
    tf.tidy(() => {
      const [, h, w, c] = x.shape;
      if (c !== 3 || h < RESNET50_MIN_INPUT || w < RESNET50_MIN_INPUT) {
        throw new Error(`ResNet50 expects [B, H, W, 3] with H, W ≥ ${RESNET50_MIN_INPUT}, got [${x.shape.join(', ')}]`);
      }
      // Numeric pad on maxPool skips out-of-range positions, i.e. pads with -inf as PyTorch does.
      // The ReLU and the residual add ride on the BatchNorm before them (fused on the CPU kernels).
      let out: tf.Tensor4D = tf.maxPool(convBn(x, STEM_CONV, training, { relu: true }), 3, 2, 1);
      for (const { convs } of blocks) {
        const [c1, c2, c3, ds] = convs as [ConvBnSpec, ConvBnSpec, ConvBnSpec, ConvBnSpec?];
        const identity = ds ? convBn(out, ds, training) : out;
        let y = convBn(out, c1, training, { relu: true });
        y = convBn(y, c2, training, { relu: true });
        out = convBn(y, c3, training, { relu: true, residual: identity });
      }
      return out;
    });

  const features = (x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D => tf.tidy(() => globalAveragePool(featureMap(x, options)));

  const head = (f: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => tf.add(tf.matMul(f, get('fc.weight') as tf.Tensor2D), get('fc.bias')) as tf.Tensor2D);

  return {
    numClasses,
    params,
    buffers,
    featureMap,
    features,
    head,
    forward: (x, opts) => tf.tidy(() => head(features(x, opts))),
    dispose: () => {
      for (const v of [...params.values(), ...buffers.values()]) v.dispose();
    },
  };
}
