import type { BlockLearningRates } from '../../shared/regimes.ts';

/**
 * The regime's rates scaled so the largest becomes `lr`, every ratio between groups kept (frozen
 * blocks stay 0). Rounded to 3 significant digits: equal mantissas round alike, so ratios of powers
 * of ten stay exact.
 */
export function ratesScaledTo(rates: BlockLearningRates, lr: number): BlockLearningRates {
  const largest = Math.max(...Object.values(rates));
  if (!(largest > 0) || !(lr > 0)) return { ...rates };
  const scale = lr / largest;
  return Object.fromEntries(
    Object.entries(rates).map(([block, rate]) => [block, rate === 0 ? 0 : Number((rate * scale).toPrecision(3))]),
  ) as BlockLearningRates;
}
