/** Short human descriptions of runs for tables, legends and messages. */
import { REGIMES } from '../shared/regimes.ts';
import type { TrainConfig } from '../shared/types.ts';
import type { Run } from './types.ts';

/** "Run 3 · Discriminative learning rates". */
export function runLabel(run: Pick<Run, 'number' | 'config'>): string {
  return `Run ${run.number} · ${REGIMES[run.config.regime].label}`;
}

/** "bs 64 · 10 ep · 48 px · aug flip+rot · cosine". */
export function settingsSummary(config: TrainConfig): string {
  const aug = [
    config.augment.hflip.enabled && 'flip',
    config.augment.rotate.enabled && 'rot',
    config.augment.perspective.enabled && 'persp',
  ].filter(Boolean);
  const parts = [`bs ${config.batchSize}`, `${config.epochs} ep`, `${config.inputSize} px`, `seed ${config.seed}`];
  if (aug.length > 0) parts.push(`aug ${aug.join('+')}`);
  if (config.schedule.kind !== 'constant') parts.push(config.schedule.kind);
  if (config.earlyStoppingPatience > 0) parts.push(`early stop ${config.earlyStoppingPatience}`);
  if (config.classWeighted) parts.push('class-weighted');
  if (config.regime === 'linear' && config.exactSeedBehaviour) parts.push('exact seed');
  return parts.join(' · ');
}

/** Best validation accuracy of a run and the (1-based) epoch it came from, or null before any epoch. */
export function bestEpochOf(run: Pick<Run, 'epochs'>): { accuracy: number; epoch: number } | null {
  let best: { accuracy: number; epoch: number } | null = null;
  for (const e of run.epochs) if (!best || e.validationAccuracy > best.accuracy) best = { accuracy: e.validationAccuracy, epoch: e.epoch };
  return best;
}

/** Whether a run has ended (for any reason). */
export function isFinished(run: Pick<Run, 'status'>): boolean {
  return run.status === 'completed' || run.status === 'stopped' || run.status === 'early-stopped' || run.status === 'failed';
}
