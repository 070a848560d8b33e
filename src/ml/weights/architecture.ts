/**
 * Names the architecture a state dict most likely belongs to, from its keys and shapes alone, so
 * that weights of another network are refused saying what they are ("a ResNet18"), not only which
 * key is missing. Knows the torchvision and timm names of the networks people most often drop by
 * mistake: the other ResNets, Vision Transformers, VGG, DenseNet, EfficientNet, MobileNet,
 * ConvNeXt and Swin.
 */
import type { HostTensor } from './safetensors.ts';

type Shapes = ReadonlyMap<string, Pick<HostTensor, 'shape'>>;

/** Blocks per stage of torchvision's ResNets, keyed by "BasicBlock|Bottleneck:a,b,c,d". */
const RESNETS: Record<string, string> = {
  'basic:2,2,2,2': 'ResNet18',
  'basic:3,4,6,3': 'ResNet34',
  'bottleneck:3,4,6,3': 'ResNet50',
  'bottleneck:3,4,23,3': 'ResNet101',
  'bottleneck:3,8,36,3': 'ResNet152',
};

function blocksPerStage(keys: readonly string[]): number[] {
  return [1, 2, 3, 4].map((stage) => {
    const blocks = new Set(keys.map((k) => new RegExp(`^layer${stage}\\.(\\d+)\\.`).exec(k)?.[1]).filter((b) => b !== undefined));
    return blocks.size;
  });
}

function resnetName(keys: readonly string[], tensors: Shapes): string | null {
  if (!keys.includes('layer1.0.conv1.weight')) return null;
  const kind = keys.includes('layer1.0.conv3.weight') ? 'bottleneck' : 'basic';
  const stages = blocksPerStage(keys);
  const width = tensors.get('layer1.0.conv2.weight')?.shape[0];
  const named = RESNETS[`${kind}:${stages.join(',')}`];
  if (named === 'ResNet50' && width !== undefined && width !== 64) return `a wide or grouped ResNet50 variant (layer1 width ${width})`;
  if (named) return `a ${named}`;
  return `a ResNet with ${kind === 'basic' ? 'BasicBlock' : 'Bottleneck'} stages of ${stages.join(', ')} blocks`;
}

const PATTERNS: readonly [RegExp, string][] = [
  [/^(cls_token|class_token|patch_embed\.|conv_proj\.|encoder\.layers\.encoder_layer_)/, 'a Vision Transformer (ViT)'],
  [/^layers\.\d+\.blocks\.\d+\.attn\.relative_position/, 'a Swin Transformer'],
  [/^(stages\.\d+\.blocks\.\d+\.conv_dw|downsample_layers\.)/, 'a ConvNeXt'],
  [/^features\.denseblock\d/, 'a DenseNet'],
  [/^(conv_stem\.|blocks\.\d+\.\d+\.conv_dw)|^features\.\d+\.\d+\.block\./, 'an EfficientNet or MobileNetV3'],
  [/^features\.\d+\.conv\.\d+\.\d+\.weight$/, 'a MobileNetV2'],
  [/^features\.\d+\.weight$/, 'a VGG or AlexNet'],
];

/**
 * "a ResNet18", "a Vision Transformer (ViT)", … for a state dict that is not torchvision's ResNet50,
 * or null when the keys say nothing recognisable. Keys are expected without DataParallel's `module.`.
 */
export function recogniseArchitecture(tensors: Shapes): string | null {
  const keys = [...tensors.keys()];
  const resnet = resnetName(keys, tensors);
  if (resnet) return resnet;
  for (const [pattern, name] of PATTERNS) if (keys.some((k) => pattern.test(k))) return name;
  return null;
}
