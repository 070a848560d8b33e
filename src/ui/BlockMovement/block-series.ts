import { MOVEMENT_BLOCKS, type EpochMetrics, type MovementBlock } from '../../shared/types.ts';

/** One chart row: the epoch, and each block's ‖W − W₀‖ / ‖W₀‖ after it. */
export type MovementPoint = { readonly epoch: number } & Readonly<Record<MovementBlock, number>>;

/** A colour per block, from the stem (dark) to the head (bright), readable on light and dark themes. */
export const BLOCK_COLORS: Readonly<Record<MovementBlock, string>> = {
  'conv1+bn1': '#8c6d31',
  layer1: '#3b7dd8',
  layer2: '#1fa3b3',
  layer3: '#2ea36b',
  layer4: '#d4a017',
  fc: '#e0527a',
};

/** A run's movement per epoch, starting at epoch 0 (everything at 0); epochs without it are left out. */
export function movementSeries(epochs: readonly EpochMetrics[]): MovementPoint[] {
  const measured = epochs.flatMap((e) => (e.blockMovement ? [{ epoch: e.epoch, ...e.blockMovement }] : []));
  if (measured.length === 0) return [];
  const zero = Object.fromEntries(MOVEMENT_BLOCKS.map((b) => [b, 0])) as Record<MovementBlock, number>;
  return [{ epoch: 0, ...zero }, ...measured];
}

/** The largest movement over all runs' series: one y axis for all of them, so charts side by side compare. */
export function movementMax(series: readonly (readonly MovementPoint[])[]): number {
  return Math.max(0, ...series.flatMap((points) => points.flatMap((p) => MOVEMENT_BLOCKS.map((b) => p[b]))));
}

/** "0", "3.2e-5", "0.0123", "0.41": a relative change, short. */
export function formatMovement(value: number): string {
  if (value === 0) return '0';
  return value < 1e-3 ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}
