/**
 * State dicts of networks that are not ResNet50, with torchvision's and timm's real key names and
 * shapes (zero-filled), for tests of the refusal that names what a file holds.
 */
import type { HostTensor } from '../safetensors.ts';

const zeros = (shape: number[]): HostTensor => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

function batchNorm(out: Map<string, HostTensor>, prefix: string, channels: number): void {
  for (const name of ['weight', 'bias', 'running_mean', 'running_var']) out.set(`${prefix}.${name}`, zeros([channels]));
}

/** torchvision's `resnet18().state_dict()` (BasicBlocks 2, 2, 2, 2), without `num_batches_tracked`. */
export function resnet18StateDict(classes = 1000): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>([['conv1.weight', zeros([64, 3, 7, 7])]]);
  batchNorm(out, 'bn1', 64);
  let inChannels = 64;
  [64, 128, 256, 512].forEach((width, stage) => {
    for (let block = 0; block < 2; block++) {
      const prefix = `layer${stage + 1}.${block}`;
      out.set(`${prefix}.conv1.weight`, zeros([width, inChannels, 3, 3]));
      batchNorm(out, `${prefix}.bn1`, width);
      out.set(`${prefix}.conv2.weight`, zeros([width, width, 3, 3]));
      batchNorm(out, `${prefix}.bn2`, width);
      if (block === 0 && stage > 0) {
        out.set(`${prefix}.downsample.0.weight`, zeros([width, inChannels, 1, 1]));
        batchNorm(out, `${prefix}.downsample.1`, width);
      }
      inChannels = width;
    }
  });
  out.set('fc.weight', zeros([classes, 512]));
  out.set('fc.bias', zeros([classes]));
  return out;
}

/** The first keys of timm's `vit_tiny_patch16_224` (a ViT's names; shapes of the real model, few blocks). */
export function vitStateDict(): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>([
    ['cls_token', zeros([1, 1, 192])],
    ['pos_embed', zeros([1, 197, 192])],
    ['patch_embed.proj.weight', zeros([192, 3, 16, 16])],
    ['patch_embed.proj.bias', zeros([192])],
  ]);
  out.set('blocks.0.norm1.weight', zeros([192]));
  out.set('blocks.0.attn.qkv.weight', zeros([576, 192]));
  out.set('head.weight', zeros([1000, 192]));
  out.set('head.bias', zeros([1000]));
  return out;
}
