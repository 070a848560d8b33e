import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON, BN_MOMENTUM } from '../batch-norm.ts';
import type { ResNet50 } from '../model.ts';
import { bottleneckConvs, resnet50Bottlenecks, STEM_CONV, type ConvBnSpec } from '../resnet50-spec.ts';
import type { HostTensor } from './safetensors.ts';

/**
 * The functional ResNet50 as an inference-only tf.LayersModel, for TF.js model.json export.
 * Layer names ARE torchvision module names (`conv1`, `layer1.0.bn2`, `layer2.0.downsample.0`,
 * `fc`; tfjs allows dots), so weights map back one to one: Conv2D kernel → `<name>.weight`,
 * BatchNormalization gamma/beta/moving_mean/moving_variance → `.weight/.bias/.running_mean/
 * .running_var`, Dense kernel/bias → `fc.weight/.bias`. Layers without weights get suffixed
 * names (`conv1.pad`, `layer1.0.add`, …) that the reverse mapping ignores.
 */

type Sym = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/** Explicit zero padding then a 'valid' conv (never 'same': it pads asymmetrically at stride 2). */
function convBn(x: Sym, c: ConvBnSpec): Sym {
  let y = c.pad > 0 ? apply(tf.layers.zeroPadding2d({ padding: c.pad, name: `${c.conv}.pad` }), x) : x;
  y = apply(
    tf.layers.conv2d({
      filters: c.outChannels,
      kernelSize: c.kernel,
      strides: c.stride,
      padding: 'valid',
      useBias: false,
      kernelInitializer: 'zeros',
      name: c.conv,
    }),
    y,
  );
  // Keras momentum weights the old value, torch's the new one; irrelevant for inference, kept for honesty.
  return apply(tf.layers.batchNormalization({ axis: -1, epsilon: BN_EPSILON, momentum: 1 - BN_MOMENTUM, name: c.bn }), y);
}

const relu = (x: Sym, name: string): Sym => apply(tf.layers.activation({ activation: 'relu', name }), x);

/**
 * Builds the tf.layers twin of `model` for [B, inputSize, inputSize, 3] ImageNet-normalised input
 * and copies the current weights in (a snapshot: later training of `model` does not reach it).
 * The caller owns the returned LayersModel and disposes it.
 */
export function toLayersModel(model: ResNet50, inputSize: number): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input' });
  let x = relu(convBn(input, STEM_CONV), 'relu');
  // Zero padding equals PyTorch's -inf padding here: the input is post-ReLU, so ≥ 0.
  x = apply(tf.layers.zeroPadding2d({ padding: 1, name: 'maxpool.pad' }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }), x);
  for (const block of resnet50Bottlenecks()) {
    const [c1, c2, c3, ds] = bottleneckConvs(block) as [ConvBnSpec, ConvBnSpec, ConvBnSpec, ConvBnSpec?];
    let y = relu(convBn(x, c1), `${block.prefix}.relu1`);
    y = relu(convBn(y, c2), `${block.prefix}.relu2`);
    y = convBn(y, c3);
    const identity = ds ? convBn(x, ds) : x;
    x = relu(apply(tf.layers.add({ name: `${block.prefix}.add` }), [y, identity]), `${block.prefix}.relu3`);
  }
  x = apply(tf.layers.globalAveragePooling2d({ name: 'avgpool' }), x);
  const logits = apply(tf.layers.dense({ units: model.numClasses, kernelInitializer: 'zeros', name: 'fc' }), x);
  const layersModel = tf.model({ inputs: input, outputs: logits, name: 'resnet50' });

  const tensor = (name: string): tf.Tensor => {
    const v = model.params.get(name) ?? model.buffers.get(name);
    if (!v) throw new Error(`model has no tensor ${name}`);
    return v;
  };
  for (const c of [STEM_CONV, ...resnet50Bottlenecks().flatMap(bottleneckConvs)]) {
    layersModel.getLayer(c.conv).setWeights([tensor(`${c.conv}.weight`)]);
    const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => tensor(`${c.bn}.${s}`));
    layersModel.getLayer(c.bn).setWeights(bn);
  }
  layersModel.getLayer('fc').setWeights([tensor('fc.weight'), tensor('fc.bias')]);
  return layersModel;
}

const BN_SUFFIXES = ['weight', 'bias', 'running_mean', 'running_var'] as const;

/**
 * Reads a LayersModel built by {@link toLayersModel} (e.g. after a model.json round trip) back
 * into a torchvision state_dict in torch layout, ready for loadTorchvisionStateDict or safetensors.
 */
export async function fromLayersModel(layersModel: tf.LayersModel): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  const put = async (name: string, t: tf.Tensor, perm?: number[]): Promise<void> => {
    const torch = perm ? tf.transpose(t, perm) : t;
    out.set(name, { shape: torch.shape, data: (await torch.data()) as Float32Array });
    if (torch !== t) torch.dispose();
  };
  for (const layer of layersModel.layers) {
    const weights = layer.getWeights();
    const kind = layer.getClassName();
    if (kind === 'Conv2D') await put(`${layer.name}.weight`, weights[0]!, [3, 2, 0, 1]);
    else if (kind === 'BatchNormalization') for (const [i, s] of BN_SUFFIXES.entries()) await put(`${layer.name}.${s}`, weights[i]!);
    else if (kind === 'Dense') {
      await put(`${layer.name}.weight`, weights[0]!, [1, 0]);
      await put(`${layer.name}.bias`, weights[1]!);
    } else if (weights.length > 0) throw new Error(`unexpected weights in layer ${layer.name} (${kind})`);
  }
  return out;
}

/** model.json contents (weights manifest pointing at one `weights.bin`) and that file's bytes. */
export interface LayersModelFiles {
  readonly modelJson: tf.io.ModelJSON;
  readonly weightsBin: ArrayBuffer;
}

/** Serialises a LayersModel to the two files `tf.loadLayersModel('…/model.json')` reads. */
export async function saveLayersModel(layersModel: tf.LayersModel, weightsFileName = 'weights.bin'): Promise<LayersModelFiles> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await layersModel.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData)
    throw new Error('LayersModel.save produced no topology or weights');
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weightsBin: tf.io.CompositeArrayBuffer.join(artifacts.weightData) };
}

/** Loads the files written by {@link saveLayersModel}. The caller owns the returned model. */
export function loadLayersModelFromFiles(files: LayersModelFiles): Promise<tf.LayersModel> {
  const { modelJson, weightsBin } = files;
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weightsBin }));
}
