/**
 * The report to keep: one self-contained HTML file for the selected runs (curves, comparison table,
 * confusion matrices, per-class accuracy, block movement, settings, dataset summary, versions and
 * backend). Charts are inline SVG and there is no script, link or font to fetch, so it opens offline
 * and a course or a paper can use it as is. Built the same way by the page and by `lab report`.
 */
import { BEST_EPOCH_RULE, bestEpochOf, runFigures } from '../best-epoch.ts';
import { RESNET_BLOCKS } from '../regimes.ts';
import { ratesSummary, runRegimeName } from '../run-naming.ts';
import { MOVEMENT_BLOCKS, type DatasetEdit, type EpochMetrics, type SavedRun } from '../types.ts';
import { describeEdit, describeEdits, editsFingerprint, editsMismatch } from '../dataset-edits.ts';
import { escapeHtml as h } from './escape.ts';
import { lineChartSvg } from './svg-chart.ts';

/** A run as the report needs it: what the page and a lab file both hold. */
export type ReportRun = Pick<SavedRun, 'number' | 'config' | 'classes' | 'backend' | 'history' | 'totalMs'> & {
  /** How it ended, in words ("completed", "interrupted", …). */
  readonly status: string;
  /** What the run started from (a lab file records it; the page does not keep it per run). */
  readonly weightsLabel: string | null;
  readonly origin?: string | null;
  /** The dataset edits it trained with (absent or empty: none). */
  readonly edits?: readonly DatasetEdit[];
};

export interface ReportInput {
  readonly runs: readonly ReportRun[];
  readonly dataset: {
    readonly name: string;
    readonly classes: readonly string[];
    readonly counts: Readonly<Record<string, number>>;
  } | null;
  readonly app: {
    readonly version: string;
    readonly tfjs: string | null;
    readonly backend: string | null;
    readonly adapter?: string | null;
  };
  readonly generatedAt: Date;
}

/** The run colours of the app (ui/common/run-colors.ts), so the report matches what was on screen. */
const PALETTE = ['#3b7dd8', '#e07b39', '#2ea36b', '#b65fcf', '#d4a017', '#e0527a', '#1fa3b3', '#8a8f3c'];
const BLOCK_COLORS = ['#8c6d31', '#3b7dd8', '#1fa3b3', '#2ea36b', '#d4a017', '#e0527a'];
const color = (run: ReportRun) => PALETTE[(run.number - 1) % PALETTE.length] as string;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const name = (run: ReportRun) => `Run ${run.number} · ${runRegimeName(run.config).label}`;

function comparisonTable(runs: readonly ReportRun[]): string {
  const rows = runs.map((run) => {
    const f = runFigures(run.history);
    return `<tr><td><span class="sw" style="background:${color(run)}"></span>${h(name(run))}</td><td>${h(ratesSummary(run.config.learningRates))}</td><td>${f ? `${pct(f.bestValidationAccuracy)} (epoch ${f.bestEpoch})` : '—'}</td><td>${f ? pct(f.finalValidationAccuracy) : '—'}</td><td>${f ? f.bestValidationLoss.toFixed(4) : '—'}</td><td>${run.history.length} / ${run.config.epochs}</td><td>${run.totalMs === null ? '—' : `${(run.totalMs / 1000).toFixed(1)} s`}</td><td>${h(run.status)}</td><td>${h(run.backend ?? '—')}</td></tr>`;
  });
  return `<table class="data" data-section="comparison"><thead><tr><th>run</th><th>learning rates</th><th>best val acc</th><th>final val acc</th><th>best val loss</th><th>epochs</th><th>time</th><th>status</th><th>backend</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="note">best = the epoch with the ${h(BEST_EPOCH_RULE)}; final = after the last epoch.</p>${mismatch(runs)}`;
}

function mismatch(runs: readonly ReportRun[]): string {
  const text = editsMismatch(runs);
  return text ? `<p class="note" data-section="edits-mismatch">⚠ ${h(text)}</p>` : '';
}

function curves(runs: readonly ReportRun[]): string {
  const series = (metric: 'Loss' | 'Accuracy') =>
    runs.flatMap((run) => [
      {
        label: `${name(run)} · train`,
        color: color(run),
        dashed: true,
        points: run.history.map((e) => [e.epoch, metric === 'Loss' ? e.trainLoss : e.trainAccuracy] as const),
      },
      {
        label: `${name(run)} · validation`,
        color: color(run),
        points: run.history.map((e) => [e.epoch, metric === 'Loss' ? e.validationLoss : e.validationAccuracy] as const),
      },
    ]);
  return (
    lineChartSvg({ title: 'Loss (dashed: train, solid: validation)', xLabel: 'epoch', series: series('Loss') }) +
    lineChartSvg({
      title: 'Accuracy (dashed: train, solid: validation)',
      xLabel: 'epoch',
      series: series('Accuracy'),
      yRange: [0, 1],
      formatY: (v) => `${Math.round(v * 100)}%`,
    })
  );
}

function confusion(run: ReportRun, epoch: EpochMetrics): string {
  const max = Math.max(1, ...epoch.confusion.flat());
  const head = run.classes.map((c) => `<th>${h(c)}</th>`).join('');
  const rows = epoch.confusion
    .map((row, t) => {
      const cells = row
        .map(
          (n, p) => `<td style="background:rgba(${t === p ? '46,163,107' : '224,82,122'},${(0.1 + (0.8 * n) / max).toFixed(2)})">${n}</td>`,
        )
        .join('');
      return `<tr><th>${h(run.classes[t] ?? String(t))}</th>${cells}<td class="acc">${pct(epoch.perClassAccuracy[t] ?? 0)}</td></tr>`;
    })
    .join('');
  return `<table class="matrix"><caption>Confusion on validation, epoch ${epoch.epoch} (rows: true, columns: predicted; last column: per-class accuracy)</caption><thead><tr><th></th>${head}<th>accuracy</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function movement(run: ReportRun): string {
  const measured = run.history.filter((e) => e.blockMovement);
  if (measured.length === 0) return '<p class="note">No block movement kept for this run.</p>';
  const series = MOVEMENT_BLOCKS.map((block, i) => ({
    label: block,
    color: BLOCK_COLORS[i] as string,
    points: [[0, 0] as const, ...measured.map((e) => [e.epoch, e.blockMovement?.[block] ?? 0] as const)],
  }));
  const last = measured.at(-1)?.blockMovement;
  const values = MOVEMENT_BLOCKS.map(
    (b, i) =>
      `<span><span class="sw" style="background:${BLOCK_COLORS[i]}"></span>${b} ${last ? Number(last[b].toPrecision(3)) : '—'}</span>`,
  ).join(' ');
  return lineChartSvg({ title: 'How far each block moved: ‖W − W₀‖ / ‖W₀‖', xLabel: 'epoch', series }) + `<p class="legend">${values}</p>`;
}

function settings(run: ReportRun): string {
  const c = run.config;
  const aug = Object.entries(c.augment)
    .filter(([, a]) => a.enabled)
    .map(([k]) => k);
  const rows: [string, string][] = [
    ...(run.weightsLabel ? [['starting weights', run.weightsLabel] as [string, string]] : []),
    ['learning rates', RESNET_BLOCKS.map((b) => `${b} ${c.learningRates[b]}`).join(', ')],
    ['momentum', String(c.momentum)],
    ['batch size', String(c.batchSize)],
    ['input size', `${c.inputSize} px (${c.resizeMode})`],
    ['epochs', String(c.epochs)],
    ['schedule', c.schedule.kind],
    ['augmentation', aug.length > 0 ? aug.join(', ') : 'none'],
    ['early stopping', c.earlyStoppingPatience > 0 ? `patience ${c.earlyStoppingPatience}` : 'off'],
    ['class-weighted loss', c.classWeighted ? 'yes' : 'no'],
    ['seed', String(c.seed)],
    ...(run.origin ? [['origin', run.origin] as [string, string]] : []),
    ['dataset edits', run.edits?.length ? `trained with ${describeEdits(run.edits)}, fingerprint ${editsFingerprint(run.edits)}` : 'none'],
  ];
  const table = `<table class="kv">${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table>`;
  if (!run.edits?.length) return table;
  const list = run.edits.map((e) => `<li>${h(describeEdit(e, run.classes))}</li>`).join('');
  return `${table}<details data-section="edits"><summary>${h(describeEdits(run.edits))}</summary><ul class="edits">${list}</ul></details>`;
}

function runSection(run: ReportRun): string {
  const best = run.history.find((e) => e.epoch === bestEpochOf(run.history)) ?? run.history.at(-1);
  return `<section class="run" data-run="${run.number}"><h2><span class="sw" style="background:${color(run)}"></span>${h(name(run))}</h2><div class="grid"><div>${settings(run)}</div><div>${best ? confusion(run, best) : '<p class="note">No finished epoch.</p>'}</div><div>${movement(run)}</div></div></section>`;
}

function datasetSection(dataset: ReportInput['dataset']): string {
  if (!dataset) return '<p class="note">Dataset: not known to this report.</p>';
  const counts = Object.entries(dataset.counts)
    .map(([split, n]) => `${h(split)} ${n}`)
    .join(', ');
  return `<p>Dataset <strong>${h(dataset.name)}</strong>: ${dataset.classes.length} classes (${h(dataset.classes.join(', '))}); images: ${counts}.</p>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1100px;margin:24px auto;padding:0 16px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-variant-numeric:tabular-nums}table.data td,table.data th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}.matrix td,.matrix th{padding:3px 6px;text-align:right;font-size:12px}.matrix caption{font-size:12px;color:#666;text-align:left}.kv th{text-align:left;color:#666;font-weight:500;padding:2px 10px 2px 0}.grid{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}.sw{display:inline-block;width:12px;height:4px;border-radius:2px;margin-right:6px;vertical-align:middle}.note,.meta{color:#666;font-size:12px}.legend{font-size:12px}.legend>span{margin-right:10px}svg{margin:6px 12px 6px 0}@media print{.run{break-inside:avoid}}`;

/** The whole report as one HTML document. */
export function reportHtml(input: ReportInput): string {
  const { runs, app } = input;
  const title = `Expression Lab report: ${runs.length} run${runs.length === 1 ? '' : 's'}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${h(title)}</title><style>${STYLE}</style></head><body><h1>${h(title)}</h1><p class="meta">Generated ${h(input.generatedAt.toISOString())} by Expression Lab ${h(app.version)} · TensorFlow.js ${h(app.tfjs ?? 'unknown')} · backend ${h(app.backend ?? 'unknown')}${app.adapter ? ` (${h(app.adapter)})` : ''}</p>${datasetSection(input.dataset)}<h2>Comparison</h2>${comparisonTable(runs)}<h2>Curves</h2><div class="grid">${curves(runs)}</div>${runs.map(runSection).join('')}</body></html>\n`;
}
