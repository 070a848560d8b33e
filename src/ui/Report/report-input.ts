import { version } from '../../../package.json';
import type { ReportInput, ReportRun } from '../../shared/report/report-html.ts';
import type { LabState } from '../../state/types.ts';

/** The runs the report holds: those ticked in the runs table, else every run with a finished epoch. */
export function reportRuns(s: LabState): ReportRun[] {
  const all = s.runOrder.flatMap((id) => s.runs[id] ?? []).filter((run) => run.epochs.length > 0);
  const ticked = all.filter((run) => s.selectedRunIds.includes(run.id));
  return (ticked.length > 0 ? ticked : all).map((run) => ({
    number: run.number,
    config: run.config,
    classes: run.classes,
    weightsLabel: null,
    backend: s.backend.info?.backend ?? null,
    status: run.status,
    history: run.epochs,
    totalMs: run.totalMs,
    origin: run.origin,
    edits: run.edits,
  }));
}

/** Everything the report shows, from the page's store. */
export function reportInput(s: LabState, now: Date): ReportInput {
  const summary = s.dataset.summary;
  const info = s.backend.info;
  return {
    runs: reportRuns(s),
    dataset: summary && {
      name: summary.name,
      classes: summary.classes,
      counts: Object.fromEntries(Object.entries(summary.counts).map(([split, counts]) => [split, counts.reduce((a, b) => a + b, 0)])),
    },
    app: { version, tfjs: info?.tfjs ?? null, backend: info?.backend ?? null, adapter: info?.adapter ?? null },
    generatedAt: now,
  };
}
