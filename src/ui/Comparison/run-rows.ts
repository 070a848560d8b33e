/** Rows of the comparison table and their sort orders. */
import { describeEdits, editsFingerprint } from '../../shared/dataset-edits.ts';
import { ratesSummary, runRegimeName } from '../../shared/run-naming.ts';
import { bestEpochOf, finalAccuracyOf, runLabel, settingsSummary } from '../../state/run-labels.ts';
import type { Run, RunStatus } from '../../state/types.ts';

/** What the comparison table shows for one run. */
export interface RunRow {
  readonly id: string;
  readonly number: number;
  readonly label: string;
  /** What the run trained, by its rates: "Full fine-tune", "Full fine-tune (custom rates)". */
  readonly regime: string;
  /** Its learning rates, compact: "backbone 0.001 · fc 0.01". */
  readonly rates: string;
  readonly settings: string;
  readonly bestAccuracy: number | null;
  readonly bestEpoch: number | null;
  /** Validation accuracy after the last epoch: the figure the seed study reports. */
  readonly finalAccuracy: number | null;
  readonly epochsDone: number;
  readonly ms: number;
  readonly status: RunStatus;
  readonly error: string | null;
  /** Where a run trained elsewhere was trained ("trained in PyTorch … on …"); null for browser runs. */
  readonly origin: string | null;
  /** "trained with 12 edits (3 excluded, 9 relabelled)"; null when it trained on the dataset as loaded. */
  readonly edits: string | null;
  /** Fingerprint of its edit list ("none" without edits): equal fingerprints, same edits. */
  readonly editsFingerprint: string;
}

/** Columns the table can sort by. */
export type SortKey = 'number' | 'regime' | 'bestAccuracy' | 'bestEpoch' | 'finalAccuracy' | 'ms' | 'status';

/** The table row for a run; time is the run's total, or the sum of its finished epochs while it runs. */
export function toRow(run: Run): RunRow {
  const best = bestEpochOf(run);
  return {
    id: run.id,
    number: run.number,
    label: runLabel(run),
    regime: runRegimeName(run.config).label,
    rates: ratesSummary(run.config.learningRates),
    settings: settingsSummary(run.config),
    bestAccuracy: best?.accuracy ?? null,
    bestEpoch: best?.epoch ?? null,
    finalAccuracy: finalAccuracyOf(run),
    epochsDone: run.epochs.length,
    ms: run.totalMs ?? run.epochs.reduce((sum, e) => sum + e.wallMs, 0),
    status: run.status,
    error: run.error,
    origin: run.origin,
    edits: run.edits.length > 0 ? `trained with ${describeEdits(run.edits)}` : null,
    editsFingerprint: editsFingerprint(run.edits),
  };
}

/** Rows sorted by `key`; missing values sort last in either direction. */
export function sortRows(rows: readonly RunRow[], key: SortKey, descending: boolean): RunRow[] {
  return [...rows].sort((a, b) => {
    const av = a[key];
    const bv = b[key];
    if (av === null && bv === null) return a.number - b.number;
    if (av === null) return 1;
    if (bv === null) return -1;
    const order = typeof av === 'number' && typeof bv === 'number' ? av - bv : String(av).localeCompare(String(bv));
    return (descending ? -order : order) || a.number - b.number;
  });
}
