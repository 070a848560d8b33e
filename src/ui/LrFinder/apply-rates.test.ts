import { describe, expect, it } from 'vitest';
import { REGIMES } from '../../shared/regimes.ts';
import { ratesScaledTo } from './apply-rates.ts';

describe('ratesScaledTo', () => {
  it('makes the largest group the suggested rate and keeps the ratios and the frozen blocks', () => {
    const scaled = ratesScaledTo(REGIMES['frozen-lower'].learningRates, 0.0317);
    expect(scaled).toEqual({ conv1: 0.00317, bn1: 0.00317, layer1: 0, layer2: 0, layer3: 0.00317, layer4: 0.00317, fc: 0.0317 });
  });

  it('leaves rates alone when there is nothing to scale', () => {
    const linear = REGIMES.linear.learningRates;
    expect(ratesScaledTo(linear, 0)).toEqual(linear);
    expect(ratesScaledTo({ ...linear, fc: 0 }, 0.1)).toEqual({ ...linear, fc: 0 });
  });
});
