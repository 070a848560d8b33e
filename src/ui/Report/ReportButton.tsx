import { reportHtml } from '../../shared/report/report-html.ts';
import { labStore, useLab } from '../../state/store.ts';
import { downloadBlob } from '../common/download.ts';
import { reportInput } from './report-input.ts';

/** Downloads the report to keep (one self-contained HTML file) for the ticked runs, or all of them. */
export function ReportButton() {
  const count = useLab((s) => s.runOrder.filter((id) => (s.runs[id]?.epochs.length ?? 0) > 0).length);
  const download = () => {
    const input = reportInput(labStore.getState(), new Date());
    downloadBlob(
      new Blob([reportHtml(input)], { type: 'text/html' }),
      `expression-lab-report-${input.runs.map((r) => r.number).join('-')}.html`,
    );
  };
  return (
    <button
      type="button"
      onClick={download}
      disabled={count === 0}
      data-testid="report"
      title="One HTML file for the ticked runs (all runs when none is ticked): curves, table, confusion matrices, block movement, settings; opens offline"
    >
      Report (HTML)
    </button>
  );
}
