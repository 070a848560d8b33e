import { describe, expect, it } from 'vitest';
import { REGIMES } from '../../shared/regimes.ts';
import { backwardHint } from './backward-hint.ts';

describe('backwardHint', () => {
  it('linear probe: the backward pass stops at fc', () => {
    expect(backwardHint(REGIMES.linear.learningRates)).toBe(
      'The backward pass stops at fc: conv1, bn1, layer1, layer2, layer3 and layer4 only run forward, which makes each step cheaper.',
    );
  });

  it('full fine-tune: the whole network, and how to shorten it', () => {
    expect(backwardHint(REGIMES.finetune.learningRates)).toMatch(/^The backward pass runs down to conv1, the whole network\./);
  });

  it('frozen lower layers: frozen layer1/layer2 still carry gradients down to conv1', () => {
    expect(backwardHint(REGIMES['frozen-lower'].learningRates)).toContain(
      'Frozen layer1 and layer2 still pass gradients down to conv1; set conv1 and what lies below it to 0 as well to skip them.',
    );
  });

  it('conv1, bn1, layer1 and layer2 at 0: stops at layer3', () => {
    const rates = { ...REGIMES['frozen-lower'].learningRates, conv1: 0, bn1: 0 };
    expect(backwardHint(rates)).toBe(
      'The backward pass stops at layer3: conv1, bn1, layer1 and layer2 only run forward, which makes each step cheaper.',
    );
  });

  it('everything frozen', () => {
    const rates = { ...REGIMES.linear.learningRates, fc: 0 };
    expect(backwardHint(rates)).toMatch(/nothing to train/);
  });
});
