import * as tf from '@tensorflow/tfjs';
import type { ForwardOptions, ResNet50 } from '../../model.ts';

/** Options of the test stand-in for ResNet50. */
export interface TinyModelOptions {
  readonly numClasses: number;
  readonly seed: number;
  /** Width of the pooled feature vector (the real model's is 2048). */
  readonly featureDim?: number;
}

const BN_MOMENTUM = 0.1;
const BN_EPS = 1e-5;

/**
 * A ResNet50 stand-in for fast unit tests: the same interface and torchvision names
 * (conv1, bn1, layer1..layer4, fc) and the same BatchNorm semantics (batch statistics with biased
 * variance in training mode, running statistics updated with momentum 0.1 and unbiased variance),
 * but one 3×3 conv + BN + ReLU per block. Features are [B, featureDim], not [B, 2048].
 */
export function buildTinyModel(options: TinyModelOptions): ResNet50 {
  const featureDim = options.featureDim ?? 8;
  const params = new Map<string, tf.Variable>();
  const buffers = new Map<string, tf.Variable>();
  let seed = options.seed;
  const normal = (shape: number[], std: number) => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed++));
  const addConvBn = (conv: string, bn: string, cin: number, cout: number) => {
    params.set(`${conv}.weight`, normal([3, 3, cin, cout], Math.sqrt(2 / (9 * cin))));
    params.set(`${bn}.weight`, tf.variable(tf.ones([cout])));
    params.set(`${bn}.bias`, tf.variable(tf.zeros([cout])));
    buffers.set(`${bn}.running_mean`, tf.variable(tf.zeros([cout]), false));
    buffers.set(`${bn}.running_var`, tf.variable(tf.ones([cout]), false));
  };
  const stages = [
    { conv: 'conv1', bn: 'bn1', cin: 3, cout: 4, stride: 2 },
    { conv: 'layer1.0.conv1', bn: 'layer1.0.bn1', cin: 4, cout: 4, stride: 1 },
    { conv: 'layer2.0.conv1', bn: 'layer2.0.bn1', cin: 4, cout: 6, stride: 2 },
    { conv: 'layer3.0.conv1', bn: 'layer3.0.bn1', cin: 6, cout: 6, stride: 1 },
    { conv: 'layer4.0.conv1', bn: 'layer4.0.bn1', cin: 6, cout: featureDim, stride: 2 },
  ] as const;
  // Variables outlive the tidy; their initial values do not.
  tf.tidy(() => {
    for (const s of stages) addConvBn(s.conv, s.bn, s.cin, s.cout);
    params.set('fc.weight', normal([featureDim, options.numClasses], 1 / Math.sqrt(featureDim)));
    params.set('fc.bias', tf.variable(tf.zeros([options.numClasses])));
  });

  const get = (map: Map<string, tf.Variable>, name: string): tf.Variable => {
    const v = map.get(name);
    if (!v) throw new Error(`tiny model has no ${name}`);
    return v;
  };

  const batchNorm = (x: tf.Tensor4D, bn: string, training: boolean): tf.Tensor4D => {
    const gamma = get(params, `${bn}.weight`);
    const beta = get(params, `${bn}.bias`);
    const runningMean = get(buffers, `${bn}.running_mean`);
    const runningVar = get(buffers, `${bn}.running_var`);
    if (!training)
      return tf.batchNorm4d(x, runningMean as tf.Tensor1D, runningVar as tf.Tensor1D, beta as tf.Tensor1D, gamma as tf.Tensor1D, BN_EPS);
    // The running-stat updates are not on the path to the loss, so the tape ignores them.
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    return tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta as tf.Tensor1D, gamma as tf.Tensor1D, BN_EPS);
  };

  const featureMap = (x: tf.Tensor4D, { training }: ForwardOptions): tf.Tensor4D =>
    tf.tidy(() => {
      let h = x;
      for (const s of stages) {
        h = tf.conv2d(h, get(params, `${s.conv}.weight`) as tf.Tensor4D, s.stride, 'same');
        h = tf.relu(batchNorm(h, s.bn, training));
      }
      return h;
    });
  const features = (x: tf.Tensor4D, options: ForwardOptions): tf.Tensor2D =>
    tf.tidy(() => tf.mean(featureMap(x, options), [1, 2]) as tf.Tensor2D);
  const head = (f: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => tf.add(tf.matMul(f, get(params, 'fc.weight')), get(params, 'fc.bias')) as tf.Tensor2D);

  return {
    numClasses: options.numClasses,
    params,
    buffers,
    featureMap,
    features,
    head,
    forward: (x, options) => tf.tidy(() => head(features(x, options))),
    dispose: () => {
      for (const v of [...params.values(), ...buffers.values()]) v.dispose();
    },
  };
}
