import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResNet50 } from '../model.ts';
import { buildResNet50 } from '../resnet50.ts';
import { buildGoldenResNet50 } from '../testing/golden-model.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { convertSafetensorsToModel } from './convert-safetensors.ts';
import { exportTorchvisionStateDict, loadTorchvisionStateDict } from './convert-torchvision.ts';
import { writeSafetensors, type HostTensor } from './safetensors.ts';
import { resnet18StateDict, vitStateDict } from './testing/foreign-state-dicts.ts';

/** Index of the first differing value (bitwise, so -0 ≠ 0 and NaN = NaN), or -1; fast on 2M-value arrays. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('torchvision state_dict conversion', () => {
  let golden: ResNet50;
  let exported: Map<string, HostTensor>;
  beforeAll(async () => {
    await useWasmBackend();
    golden = buildGoldenResNet50();
    exported = await exportTorchvisionStateDict(golden);
  });
  afterAll(() => golden.dispose());

  it('exports every parameter and BN buffer in torch layout and state_dict order', () => {
    expect(exported.size).toBe(267);
    expect([...exported.keys()].slice(0, 6)).toEqual([
      'conv1.weight',
      'bn1.weight',
      'bn1.bias',
      'bn1.running_mean',
      'bn1.running_var',
      'layer1.0.conv1.weight',
    ]);
    expect(exported.get('conv1.weight')!.shape).toEqual([64, 3, 7, 7]);
    expect(exported.get('fc.weight')!.shape).toEqual([7, 2048]);
  });

  it('export ∘ load is the identity, bit for bit', async () => {
    const other = buildResNet50({ numClasses: 7, seed: 99 });
    const report = loadTorchvisionStateDict(other, exported, { numClasses: 7 });
    expect(report).toEqual({ replacedFc: false, fileClasses: 7, tensors: 267, ignored: [] });
    const again = await exportTorchvisionStateDict(other);
    for (const [name, t] of exported) {
      expect(again.get(name)!.shape, name).toEqual(t.shape);
      expect(firstDifference(again.get(name)!.data, t.data), name).toBe(-1);
    }
    other.dispose();
  });

  it('keeps the model fc when the file has ImageNet’s 1000-class fc, and skips num_batches_tracked', async () => {
    const imagenet = new Map(exported);
    imagenet.set('fc.weight', { shape: [1000, 2048], data: new Float32Array(1000 * 2048) });
    imagenet.set('fc.bias', { shape: [1000], data: new Float32Array(1000) });
    imagenet.set('bn1.num_batches_tracked', { shape: [], data: new Float32Array(1) });
    const model = buildResNet50({ numClasses: 7, seed: 5 });
    const ownFc = model.params.get('fc.weight')!.dataSync();
    const report = loadTorchvisionStateDict(model, imagenet, { numClasses: 7 });
    expect(report.replacedFc).toBe(true);
    expect(report.fileClasses).toBe(1000);
    expect(report.tensors).toBe(265);
    expect(report.ignored).toEqual(['bn1.num_batches_tracked', 'fc.weight', 'fc.bias']);
    expect(firstDifference(model.params.get('fc.weight')!.dataSync(), ownFc)).toBe(-1);
    const backbone = (await exportTorchvisionStateDict(model)).get('layer4.2.conv3.weight')!;
    expect(firstDifference(backbone.data, exported.get('layer4.2.conv3.weight')!.data)).toBe(-1);
    model.dispose();
  });

  it('names the tensor on a missing tensor or a wrong shape, and assigns nothing', () => {
    const model = buildResNet50({ numClasses: 7, seed: 6 });
    const conv1 = model.params.get('conv1.weight')!.dataSync();
    const missing = new Map(exported);
    missing.delete('layer2.1.bn2.running_var');
    expect(() => loadTorchvisionStateDict(model, missing, { numClasses: 7 })).toThrow(
      /do not match torchvision’s ResNet50: the first missing key is "layer2\.1\.bn2\.running_var" \(1 missing\)/,
    );
    const wrong = new Map(exported);
    wrong.set('layer3.0.conv2.weight', { shape: [256, 256, 1, 1], data: new Float32Array(256 * 256) });
    expect(() => loadTorchvisionStateDict(model, wrong, { numClasses: 7 })).toThrow(
      /"layer3\.0\.conv2\.weight" has shape \[256, 256, 1, 1\] in the weights file but the model expects \[256, 256, 3, 3\]/,
    );
    const extra = new Map(exported);
    extra.set('head.fc.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => loadTorchvisionStateDict(model, extra, { numClasses: 7 })).toThrow(/first unexpected key is "head\.fc\.weight"/);
    expect(firstDifference(model.params.get('conv1.weight')!.dataSync(), conv1)).toBe(-1);
    model.dispose();
  });

  it('replaces a checkpoint’s fc of another class count, and gives a headless backbone a new fc', () => {
    const fiveWay = new Map(exported);
    fiveWay.set('fc.weight', { shape: [5, 2048], data: new Float32Array(5 * 2048).fill(1) });
    fiveWay.set('fc.bias', { shape: [5], data: new Float32Array(5) });
    const headless = new Map([...exported].filter(([k]) => !k.startsWith('fc.')));
    for (const [tensors, fileClasses] of [
      [fiveWay, 5],
      [headless, null],
    ] as const) {
      const model = buildResNet50({ numClasses: 7, seed: 8 });
      const ownFc = model.params.get('fc.weight')!.dataSync();
      const report = loadTorchvisionStateDict(model, tensors, { numClasses: 7 });
      expect(report.replacedFc).toBe(true);
      expect(report.fileClasses).toBe(fileClasses);
      expect(report.tensors).toBe(265);
      expect(firstDifference(model.params.get('fc.weight')!.dataSync(), ownFc)).toBe(-1);
      model.dispose();
    }
  });

  it('refuses another architecture naming the first missing and the first unexpected key, and assigns nothing', () => {
    // A VGG-like state dict: nothing of ResNet50's names.
    const vgg = new Map<string, HostTensor>([
      ['features.0.weight', { shape: [64, 3, 3, 3], data: new Float32Array(64 * 27) }],
      ['features.0.bias', { shape: [64], data: new Float32Array(64) }],
      ['classifier.0.weight', { shape: [7, 64], data: new Float32Array(7 * 64) }],
    ]);
    const model = buildResNet50({ numClasses: 7, seed: 9 });
    const conv1 = model.params.get('conv1.weight')!.dataSync();
    expect(() => loadTorchvisionStateDict(model, vgg, { numClasses: 7 })).toThrow(
      /These weights are a VGG or AlexNet, not a ResNet50: the first missing key is "conv1\.weight" \(265 missing\); the first unexpected key is "features\.0\.weight" \(3 unexpected\)\. Expression Lab fine-tunes ResNet50: give a ResNet50 state dict \(torchvision or timm names\)/,
    );
    expect(firstDifference(model.params.get('conv1.weight')!.dataSync(), conv1)).toBe(-1);
    model.dispose();
  });

  it('says what another network is: a ResNet18, a ViT, or unrecognised', () => {
    const model = buildResNet50({ numClasses: 7, seed: 9 });
    const refusal = (tensors: ReadonlyMap<string, HostTensor>) => {
      try {
        loadTorchvisionStateDict(model, tensors, { numClasses: 7 });
      } catch (err) {
        return (err as Error).message;
      }
      return 'loaded';
    };
    expect(refusal(resnet18StateDict())).toMatch(
      /^These weights are a ResNet18, not a ResNet50: the first missing key is "layer1\.0\.conv3\.weight" .*Expression Lab fine-tunes ResNet50: give a ResNet50 state dict \(torchvision or timm names\)/,
    );
    const resnet34 = resnet18StateDict();
    for (const key of [...resnet34.keys()].filter((k) => k.startsWith('layer3.1.')))
      resnet34.set(key.replace('layer3.1.', 'layer3.5.'), resnet34.get(key) as HostTensor);
    for (const block of [2, 3, 4]) resnet34.set(`layer3.${block}.conv1.weight`, { shape: [1], data: new Float32Array(1) });
    resnet34.set('layer1.2.conv1.weight', { shape: [1], data: new Float32Array(1) });
    resnet34.set('layer2.2.conv1.weight', { shape: [1], data: new Float32Array(1) });
    resnet34.set('layer2.3.conv1.weight', { shape: [1], data: new Float32Array(1) });
    resnet34.set('layer4.2.conv1.weight', { shape: [1], data: new Float32Array(1) });
    expect(refusal(resnet34)).toMatch(/^These weights are a ResNet34, not a ResNet50/);
    expect(refusal(vitStateDict())).toMatch(
      /^These weights are a Vision Transformer \(ViT\), not a ResNet50: the first missing key is "conv1\.weight"/,
    );
    const unknown = new Map([['encoder.w', { shape: [2], data: new Float32Array(2) }]]);
    expect(refusal(unknown)).toMatch(/^These weights are not torchvision’s ResNet50: .*"encoder\.w"/);
    model.dispose();
  });

  it('converts .safetensors bytes (with a DataParallel module. prefix) in one call', () => {
    const prefixed = new Map([...exported].map(([k, v]) => [`module.${k}`, v]));
    const { model, report } = convertSafetensorsToModel(writeSafetensors(prefixed), { numClasses: 7 });
    expect(report).toEqual({ replacedFc: false, tensors: 267, parameterCount: 23_522_375 });
    const name = 'layer4.1.conv2.weight';
    expect(firstDifference(model.params.get(name)!.dataSync(), golden.params.get(name)!.dataSync())).toBe(-1);
    model.dispose();
  });
});
