/**
 * `npx tsx scripts/bench-import.ts [dataset.zip] [--runs N]`: imports a dataset with `lab import`
 * (the real worker in headless Chromium) N times (default 3) and prints importMs (median, min),
 * bytesHeld, images per second and wall time as a table, with the machine's load before and after.
 * Needs `npm run build` first. Prints figures; it asserts nothing.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetPath } from '../tests/datasets.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface ImportFigures {
  readonly importMs: number;
  readonly bytesHeld: number;
  readonly images: number;
  readonly skipped: number;
  readonly wallMs: number;
}

interface ImportSummary {
  importMs: number;
  bytesHeld: number;
  counts: Record<string, number[]>;
  skipped: unknown[];
}

function runLabImport(dataset: string): Promise<ImportFigures> {
  const startedAt = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('npx', ['tsx', 'scripts/lab/main.ts', 'import', dataset], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - startedAt;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return fail(new Error(`lab import exited with ${code}:\n${stderr.trim()}`));
      const summary = JSON.parse(line) as ImportSummary;
      const images = Object.values(summary.counts).reduce((sum, perClass) => sum + perClass.reduce((a, b) => a + b, 0), 0);
      done({
        importMs: summary.importMs,
        bytesHeld: summary.bytesHeld,
        images,
        skipped: summary.skipped.length,
        wallMs,
      });
    });
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string', default: '3' } },
  });
  const dataset = resolve(positionals[0] ?? datasetPath('fer2013.zip'));
  const runs = Math.max(1, Number(values.runs));
  process.stderr.write(`importing ${dataset} ${runs}× with lab import; load average before: ${load()}\n`);
  const results: ImportFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const figures = await runLabImport(dataset);
    results.push(figures);
    process.stderr.write(`run ${i + 1}: importMs ${figures.importMs}, wall ${(figures.wallMs / 1000).toFixed(1)} s\n`);
  }
  const importMs = results.map((r) => r.importMs);
  const first = results[0] as ImportFigures;
  const row = (label: string, value: string): string => `| ${label.padEnd(22)} | ${value.padStart(14)} |`;
  const lines = [
    row('metric', 'value'),
    `|${'-'.repeat(24)}|${'-'.repeat(16)}|`,
    row('runs', String(runs)),
    row('images imported', String(first.images)),
    row('skipped', String(first.skipped)),
    row('importMs median', String(median(importMs))),
    row('importMs min', String(Math.min(...importMs))),
    row('importMs all', importMs.join(' ')),
    row('bytesHeld', `${first.bytesHeld} (${(first.bytesHeld / 1e6).toFixed(1)} MB)`),
    row('images/s (median)', Math.round((first.images * 1000) / median(importMs)).toString()),
    row('wall s median', (median(results.map((r) => r.wallMs)) / 1000).toFixed(1)),
    row('load avg after', load()),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-import: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
