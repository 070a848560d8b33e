import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResNet50 } from './resnet50.ts';
import { useWasmBackend } from './testing/node-backend.ts';

describe('buildResNet50', () => {
  beforeAll(useWasmBackend);

  it('has torchvision ResNet50 parameter count, names and tf layouts', () => {
    const model = buildResNet50({ numClasses: 7, seed: 1 });
    let count = 0;
    for (const v of model.params.values()) count += v.size;
    // torchvision: sum(p.numel() for p in resnet50(num_classes=7).parameters())
    expect(count).toBe(23_522_375);
    expect(model.params.size).toBe(161);
    expect(model.buffers.size).toBe(106);
    expect(model.params.get('conv1.weight')!.shape).toEqual([7, 7, 3, 64]);
    expect(model.params.get('layer2.0.downsample.0.weight')!.shape).toEqual([1, 1, 256, 512]);
    expect(model.params.get('fc.weight')!.shape).toEqual([2048, 7]);
    expect(model.buffers.get('layer4.2.bn3.running_var')!.trainable).toBe(false);
    model.dispose();
  });

  it('initialises like torchvision: kaiming fan_out convs, unit BN, ±1/sqrt(2048) fc', () => {
    const model = buildResNet50({ numClasses: 7, seed: 3 });
    const std = (name: string) => tf.tidy(() => tf.moments(model.params.get(name)!).variance.sqrt().dataSync()[0]!);
    expect(std('layer3.0.conv2.weight')).toBeCloseTo(Math.sqrt(2 / (256 * 9)), 3);
    expect(std('conv1.weight')).toBeCloseTo(Math.sqrt(2 / (64 * 49)), 3);
    const fc = model.params.get('fc.weight')!.dataSync();
    expect(Math.max(...fc.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(2048));
    expect([...model.params.get('bn1.weight')!.dataSync()].every((v) => v === 1)).toBe(true);
    const again = buildResNet50({ numClasses: 7, seed: 3 });
    expect(again.params.get('layer1.0.conv1.weight')!.dataSync()).toEqual(model.params.get('layer1.0.conv1.weight')!.dataSync());
    model.dispose();
    again.dispose();
  });

  it('accepts any input side ≥ 32, rejects smaller, and forward = head(features)', () => {
    const model = buildResNet50({ numClasses: 5, seed: 2 });
    const x = tf.randomUniform([2, 33, 47, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const f = model.features(x, { training: false });
    expect(f.shape).toEqual([2, 2048]);
    const viaHead = model.head(f);
    const direct = model.forward(x, { training: false });
    expect(direct.shape).toEqual([2, 5]);
    expect(Array.from(direct.dataSync())).toEqual(Array.from(viaHead.dataSync()));
    const small = tf.zeros([1, 31, 64, 3]) as tf.Tensor4D;
    expect(() => model.forward(small, { training: false })).toThrow(/≥ 32/);
    tf.dispose([x, f, viaHead, direct, small]);
    model.dispose();
  });

  it('updates running stats only in training mode and leaks no tensors, gradients included', () => {
    const before = tf.memory().numTensors;
    const model = buildResNet50({ numClasses: 7, seed: 4 });
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const rv = () => Array.from(model.buffers.get('bn1.running_var')!.dataSync());
    const initial = rv();
    tf.dispose(model.forward(x, { training: false }));
    expect(rv()).toEqual(initial);
    tf.dispose(model.forward(x, { training: true }));
    expect(rv()).not.toEqual(initial);
    const fcBias = model.params.get('fc.bias')!;
    const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(x, { training: true })) as tf.Scalar);
    // Buffers are not trainable, so no gradient is computed for them.
    expect(Object.keys(grads)).toHaveLength(model.params.size);
    expect(grads[fcBias.name]!.shape).toEqual([7]);
    tf.dispose([value, ...Object.values(grads)]);
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
