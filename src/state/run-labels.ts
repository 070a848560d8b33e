/** Short human descriptions of runs for tables, legends and messages. */
import type { RegimeId } from '../shared/regimes.ts';
import type { TrainConfig } from '../shared/types.ts';
import type { Run } from './types.ts';
import { runFigures } from '../shared/best-epoch.ts';
import { ratesSummary, runRegimeName } from '../shared/run-naming.ts';

/** Runs imported from elsewhere say so; the browser's own runs need no mark. */
type MaybeImported = { readonly origin?: string | null };

/**
 * "Run 3 · Discriminative learning rates", named by the rates the run trained with (shared/run-naming.ts:
 * "Full fine-tune (custom rates)" after an edit), with "· PyTorch" for a run trained in PyTorch.
 */
export function runLabel(run: Pick<Run, 'number' | 'config'> & MaybeImported): string {
  return `Run ${run.number} · ${runRegimeName(run.config).label}${run.origin ? ' · PyTorch' : ''}`;
}

/** Regime names short enough for a run picker in a narrow panel. */
const SHORT_REGIMES: Readonly<Record<RegimeId, string>> = {
  linear: 'Linear probe',
  finetune: 'Fine-tune',
  discriminative: 'Discriminative',
  'frozen-lower': 'Frozen lower',
};

const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;

/** "Run 2 · Discriminative · 16.7 %" (best validation accuracy), plus "training" or "failed" when it did not simply end. */
export function shortRunLabel(run: Pick<Run, 'number' | 'config' | 'epochs' | 'status'> & MaybeImported): string {
  const best = bestEpochOf(run);
  const name = runRegimeName(run.config);
  const parts = [`Run ${run.number}`, `${SHORT_REGIMES[name.regime]}${name.custom ? ' (custom)' : ''}`];
  if (run.origin) parts.push('PyTorch');
  if (best) parts.push(percent(best.accuracy));
  if (!isFinished(run)) parts.push('training');
  else if (run.status === 'failed') parts.push('failed');
  else if (run.status === 'interrupted') parts.push(`interrupted at epoch ${run.epochs.length}`);
  return parts.join(' · ');
}

/** Everything about a run in one line, for a title attribute: regime, status, best epoch, settings. */
export function fullRunLabel(run: Pick<Run, 'number' | 'config' | 'epochs' | 'status'> & MaybeImported): string {
  const figures = runFigures(run.epochs);
  const result = figures
    ? `best validation ${percent(figures.bestValidationAccuracy)} at epoch ${figures.bestEpoch} (lowest loss) · ${percent(figures.finalValidationAccuracy)} after epoch ${figures.finalEpoch}`
    : 'no epoch yet';
  const origin = run.origin ? ` · ${run.origin}` : '';
  return `${runLabel(run)} (${run.status})${origin} · ${result} · lr ${ratesSummary(run.config.learningRates)} · ${settingsSummary(run.config)}`;
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

/**
 * A run's best epoch by the one rule (lowest validation loss, see shared/best-epoch.ts) and its
 * validation accuracy, or null before any epoch.
 */
export function bestEpochOf(run: Pick<Run, 'epochs'>): { accuracy: number; epoch: number } | null {
  const figures = runFigures(run.epochs);
  return figures ? { accuracy: figures.bestValidationAccuracy, epoch: figures.bestEpoch } : null;
}

/** The final epoch's validation accuracy (the seed study's figure), or null before any epoch. */
export function finalAccuracyOf(run: Pick<Run, 'epochs'>): number | null {
  return runFigures(run.epochs)?.finalValidationAccuracy ?? null;
}

/** Whether a run has ended (for any reason). */
export function isFinished(run: Pick<Run, 'status'>): boolean {
  return (
    run.status === 'completed' ||
    run.status === 'stopped' ||
    run.status === 'early-stopped' ||
    run.status === 'failed' ||
    run.status === 'interrupted'
  );
}
