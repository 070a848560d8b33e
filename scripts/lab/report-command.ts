import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reportHtml, type ReportInput, type ReportRun } from '../../src/shared/report/report-html.ts';
import { readLabFile } from '../../src/storage/lab-file.ts';
import type { LabCommand } from './command-context.ts';

const root = new URL('../../', import.meta.url);
const versionOf = (path: string) => (JSON.parse(readFileSync(new URL(path, root), 'utf8')) as { version: string }).version;

/** The dataset a lab file's runs trained on, from their dataset key ("name|classes|train/validation/test"). */
function datasetOf(key: string | undefined): ReportInput['dataset'] {
  const parts = key?.split('|') ?? [];
  if (parts.length < 3) return null;
  const [train = 0, validation = 0, test = 0] = (parts.at(-1) ?? '').split('/').map(Number);
  return { name: parts.slice(0, -2).join('|'), classes: (parts.at(-2) ?? '').split(','), counts: { train, validation, test } };
}

/** `lab report`: the app's report to keep, from a lab file (the Storage panel's "Export lab"), without a browser. */
export const reportCommand: LabCommand = {
  usage: 'report <lab.zip>',
  summary: 'write the self-contained HTML report of runs from a lab file (what the Runs panel\'s "Report (HTML)" writes)',
  options: {
    out: { type: 'string', value: 'FILE', fallback: 'expression-lab-report.html', description: 'where to write the report' },
    runs: { type: 'string', value: 'N,N,…', fallback: 'every run', description: 'run numbers to include' },
  },
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file)
      throw new Error(
        'Usage: npm run lab -- report <lab.zip> [--out FILE] [--runs 1,3] (the zip the Storage panel\'s "Export lab" writes)',
      );
    const imported = readLabFile(readFileSync(file), file);
    const wanted = typeof ctx.values.runs === 'string' ? ctx.values.runs.split(',').map(Number) : null;
    if (wanted?.some((n) => !Number.isInteger(n) || !imported.some((r) => r.run.number === n)))
      throw new Error(
        `--runs must list run numbers in the file (it has ${imported.map((r) => r.run.number).join(', ')}; got "${String(ctx.values.runs)}")`,
      );
    const chosen = imported.map((r) => r.run).filter((run) => (wanted ? wanted.includes(run.number) : run.history.length > 0));
    if (chosen.length === 0) throw new Error(`${file} holds no run with a finished epoch.`);
    const runs: ReportRun[] = chosen.map((run) => ({
      ...run,
      status: run.status === 'running' ? 'interrupted' : run.status,
      origin: run.origin ?? null,
    }));
    const backends = [...new Set(chosen.map((r) => r.backend ?? 'unknown'))].join(', ');
    const html = reportHtml({
      runs,
      dataset: datasetOf(chosen[0]?.datasetKey),
      app: { version: versionOf('package.json'), tfjs: versionOf('node_modules/@tensorflow/tfjs/package.json'), backend: backends },
      generatedAt: new Date(),
    });
    const out = resolve(String(ctx.values.out ?? 'expression-lab-report.html'));
    writeFileSync(out, html);
    ctx.print({ out, runs: chosen.map((r) => r.number), bytes: Buffer.byteLength(html) });
    ctx.say(`wrote ${out}: ${chosen.length} run(s), ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`);
  },
};
