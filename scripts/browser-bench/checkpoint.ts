/**
 * `npm run bench:checkpoint [-- --sizes 64,224] [--batch 16] [--batches 10,4] [--repeat 2]`: what a mid-epoch
 * checkpoint of a full fine-tune (weights, BN statistics, momentum) costs on the lab's WASM backend
 * in headless Chromium: its size, its write time (from the batch boundary to the IndexedDB commit,
 * while the next batches train), the time training waited for it, and how much longer the batches
 * after it took than the same batches without it: the training overhead, per checkpoint and as a
 * share of training at the default interval. Asserts nothing; figures vary with the machine's load,
 * which is printed.
 */
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../../src/shared/train-defaults.ts';
import type { CheckpointBenchResult } from './checkpoint-page.ts';
import { runBenchPage } from './run-page.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,224' },
    batch: { type: 'string', default: '16' },
    batches: { type: 'string', default: '10,4' },
    repeat: { type: 'string', default: '2' },
    cpu: { type: 'string', default: 'auto' },
  },
});
const sizes = (values.sizes ?? '64').split(',').map(Number);
const batchCounts = (values.batches ?? '8').split(',').map(Number);
const batch = Number(values.batch);
const intervalMs = DEFAULT_CHECKPOINT_SETTINGS.everyMinutes * 60_000;
const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;

console.log(`load: ${execSync('uptime').toString().trim()}`);
for (const [i, size] of sizes.entries()) {
  const batches = batchCounts[i] ?? batchCounts.at(-1) ?? 8;
  const r = await runBenchPage<CheckpointBenchResult>('scripts/browser-bench/checkpoint.html', {
    size: String(size),
    batch: String(batch),
    batches: String(batches),
    repeat: values.repeat ?? '2',
    cpu: values.cpu ?? 'auto',
  });
  const share = (x: number) => `${((100 * Math.max(0, x)) / intervalMs).toFixed(2)} %`;
  const every = `one every ${DEFAULT_CHECKPOINT_SETTINGS.everyMinutes} min`;
  const first = r.pairs[0];
  if (!first) continue;
  console.log(
    `\n${size} px, batch ${batch}, finetune, WASM (${r.variant}): checkpoint ${(first.bytes / 1e6).toFixed(1)} MB (weights, BN statistics, momentum)`,
  );
  for (const [k, p] of r.pairs.entries()) {
    const extra = p.withMs - p.plainMs;
    const late = p.waitedMs > 0 ? `; it ended ${ms(p.waitedMs)} after the last batch, so the overhead is understated` : '';
    console.log(
      [
        `  pair ${k + 1}: write ${ms(p.writeMs)} (batch boundary to IndexedDB commit, while training went on${late})`,
        `training waited ${ms(p.blockedMs)} (${share(p.blockedMs)} at ${every}; of it the IndexedDB put ${ms(p.storeBlockedMs)}, the snapshot, reading the tensors back and building the Blob the rest)`,
        `batches 2–${batches}: ${ms(p.plainMs)} without, ${ms(p.withMs)} with it (${ms(p.plainMs / (batches - 1))} per batch): ${ms(extra)} longer (${share(extra)} at ${every})`,
      ].join(' · '),
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const write = mean(r.pairs.map((p) => p.writeMs));
  const blocked = mean(r.pairs.map((p) => p.blockedMs));
  const extra = mean(r.pairs.map((p) => p.withMs - p.plainMs));
  console.log(
    `  mean of ${r.pairs.length}: write ${ms(write)} · training waited ${ms(blocked)} (${share(blocked)}) · batches after it ${ms(extra)} longer (${share(extra)} at ${every})`,
  );
}
