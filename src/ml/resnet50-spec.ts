/**
 * The shape of torchvision's ResNet50 v1.5 as data: bottleneck blocks, and every state_dict
 * tensor in state_dict order with its torch-layout shape. The builder, the initialisers, the
 * torchvision converter and the tf.layers export all walk these lists, so they cannot disagree.
 */

/** Bottleneck blocks per stage (layer1 … layer4). */
export const RESNET50_STAGE_DEPTHS = [3, 4, 6, 3] as const;
/** Width of the 1x1→3x3 part of each stage's bottleneck; the block outputs 4x this. */
export const RESNET50_STAGE_WIDTHS = [64, 128, 256, 512] as const;
/** Channels of the pooled feature vector fed to fc. */
export const RESNET50_FEATURES = 2048;
/** Smallest input side the network accepts: five stride-2 steps leave 1x1 at 32. */
export const RESNET50_MIN_INPUT = 32;

/** One bottleneck block, e.g. `layer3.0`: 1x1 (in→width), 3x3 stride s (v1.5), 1x1 (width→4·width). */
export interface BottleneckSpec {
  readonly prefix: string;
  readonly inChannels: number;
  readonly width: number;
  readonly outChannels: number;
  readonly stride: number;
  /** True for the first block of each stage: identity = BN(1x1 conv stride s) as `downsample.0/1`. */
  readonly downsample: boolean;
}

/** The 16 bottlenecks in forward order. */
export function resnet50Bottlenecks(): BottleneckSpec[] {
  const blocks: BottleneckSpec[] = [];
  let inChannels = 64;
  RESNET50_STAGE_DEPTHS.forEach((depth, stage) => {
    const width = RESNET50_STAGE_WIDTHS[stage] ?? 0;
    for (let i = 0; i < depth; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const outChannels = width * 4;
      blocks.push({ prefix: `layer${stage + 1}.${i}`, inChannels, width, outChannels, stride, downsample: i === 0 });
      inChannels = outChannels;
    }
  });
  return blocks;
}

/** What a state_dict tensor is; decides layout conversion and initialisation. */
export type TensorKind = 'conv' | 'bn-weight' | 'bn-bias' | 'bn-mean' | 'bn-var' | 'fc-weight' | 'fc-bias';

/** One state_dict entry. `shape` is torch's: conv OIHW, fc.weight [out, in]. */
export interface TensorSpec {
  readonly name: string;
  readonly kind: TensorKind;
  readonly shape: readonly number[];
}

/** A conv layer (no bias) and the BN that follows it, by torchvision module names. */
export interface ConvBnSpec {
  readonly conv: string;
  readonly bn: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  /** Symmetric zero padding on H and W, as PyTorch's `padding=`. */
  readonly pad: number;
}

/** Conv+BN pairs of one bottleneck, in state_dict order (conv1, conv2, conv3, downsample). */
export function bottleneckConvs(b: BottleneckSpec): ConvBnSpec[] {
  const p = b.prefix;
  const convs: ConvBnSpec[] = [
    { conv: `${p}.conv1`, bn: `${p}.bn1`, inChannels: b.inChannels, outChannels: b.width, kernel: 1, stride: 1, pad: 0 },
    { conv: `${p}.conv2`, bn: `${p}.bn2`, inChannels: b.width, outChannels: b.width, kernel: 3, stride: b.stride, pad: 1 },
    { conv: `${p}.conv3`, bn: `${p}.bn3`, inChannels: b.width, outChannels: b.outChannels, kernel: 1, stride: 1, pad: 0 },
  ];
  if (b.downsample) {
    const ds = { inChannels: b.inChannels, outChannels: b.outChannels, kernel: 1, stride: b.stride, pad: 0 };
    convs.push({ conv: `${p}.downsample.0`, bn: `${p}.downsample.1`, ...ds });
  }
  return convs;
}

/** The stem: conv1 7x7 stride 2 pad 3, then bn1. */
export const STEM_CONV: ConvBnSpec = { conv: 'conv1', bn: 'bn1', inChannels: 3, outChannels: 64, kernel: 7, stride: 2, pad: 3 };

/** Every conv+BN pair in state_dict order (stem first). */
export function resnet50Convs(): ConvBnSpec[] {
  return [STEM_CONV, ...resnet50Bottlenecks().flatMap(bottleneckConvs)];
}

/** Every state_dict tensor except `num_batches_tracked`, in torchvision's state_dict order. */
export function resnet50StateDictSpec(numClasses: number): TensorSpec[] {
  const specs: TensorSpec[] = [];
  for (const c of resnet50Convs()) {
    specs.push({ name: `${c.conv}.weight`, kind: 'conv', shape: [c.outChannels, c.inChannels, c.kernel, c.kernel] });
    const vec = [c.outChannels];
    specs.push({ name: `${c.bn}.weight`, kind: 'bn-weight', shape: vec });
    specs.push({ name: `${c.bn}.bias`, kind: 'bn-bias', shape: vec });
    specs.push({ name: `${c.bn}.running_mean`, kind: 'bn-mean', shape: vec });
    specs.push({ name: `${c.bn}.running_var`, kind: 'bn-var', shape: vec });
  }
  specs.push({ name: 'fc.weight', kind: 'fc-weight', shape: [numClasses, RESNET50_FEATURES] });
  specs.push({ name: 'fc.bias', kind: 'fc-bias', shape: [numClasses] });
  return specs;
}

/** True for BN running statistics (model buffers, not parameters). */
export function isBufferKind(kind: TensorKind): boolean {
  return kind === 'bn-mean' || kind === 'bn-var';
}

/** Shape of a tensor in this project's tf layout: conv OIHW → HWIO, fc [out, in] → [in, out]. */
export function tfLayoutShape(spec: TensorSpec): number[] {
  const s = spec.shape;
  if (spec.kind === 'conv') return [s[2] ?? 0, s[3] ?? 0, s[1] ?? 0, s[0] ?? 0];
  if (spec.kind === 'fc-weight') return [s[1] ?? 0, s[0] ?? 0];
  return [...s];
}
