import { describe, expect, it } from 'vitest';
import type { WeightsInfo } from '../../shared/types.ts';
import { describeWeights } from './weights-description.ts';

const info = (source: WeightsInfo['source'], label: string): WeightsInfo => ({
  source,
  label,
  pretrained: source.startsWith('pretrained'),
  parameterCount: 23_522_375,
});

describe('weights status text', () => {
  it('says "random, not pretrained" once: the heading, then the seed and size', () => {
    const { heading, detail } = describeWeights(info('random-init', 'Random initialisation (seed 42) — NOT pretrained'));
    expect(heading).toBe('Random initialisation — not pretrained');
    expect(detail).toBe('Seed 42 · 23.5 M parameters');
    expect(detail).not.toMatch(/random|pretrained/i);
  });

  it('names where pretrained weights came from without restating that they are pretrained', () => {
    const cached = describeWeights(info('pretrained-cache', 'ImageNet-pretrained ResNet50 (from this browser’s cache)'));
    expect(cached).toEqual({ heading: 'ImageNet-pretrained ResNet50', detail: 'From this browser’s cache · 23.5 M parameters' });
    expect(describeWeights(info('pretrained-download', 'ImageNet-pretrained ResNet50 (downloaded)')).detail).toBe(
      'Downloaded · 23.5 M parameters',
    );
  });

  it('shows a dropped file by name, and a label it does not recognise as it is', () => {
    expect(describeWeights(info('dropped-file', 'resnet50-fer.safetensors (dropped file)'))).toEqual({
      heading: 'Your own weights',
      detail: 'resnet50-fer.safetensors · 23.5 M parameters',
    });
    expect(describeWeights(info('pretrained-local', 'Local weights')).detail).toBe('Local weights · 23.5 M parameters');
  });
});
