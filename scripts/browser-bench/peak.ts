/**
 * `npm run bench:peak [-- --sizes 64,112] [--batch 16]`: how fast a training step on the WASM
 * backend could possibly be on this machine, beside PyTorch on the same cores.
 *
 * Times each of ResNet50's convolution shapes with fixed weights (packed once, so no per-step
 * filter setup) in headless Chromium on the lab's own WASM backend (all cores), and the same
 * shapes in PyTorch (oneDNN). A training step's convolutions are about three times the forward
 * ones (forward, input gradient, filter gradient; the stem needs no input gradient), so 3x the
 * forward total at this speed is a floor for a full fine-tune step that ignores BatchNorm, ReLU,
 * the loss and the optimizer. Prints that floor against PyTorch's whole step (scripts/bench/torch.ts).
 * Asserts nothing; figures vary with the machine's load, which is printed.
 */
import { execFile, execSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { REGIMES } from '../../src/shared/regimes.ts';
import { torchStep } from '../bench/torch.ts';
import { type ConvShape, convFlops, resnet50ConvShapes } from './conv-shapes.ts';
import type { PeakResult } from './peak-page.ts';
import { runBenchPage } from './run-page.ts';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const run = promisify(execFile);

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '64,112' }, batch: { type: 'string', default: '16' } } });
const sizes = (values.sizes ?? '64').split(',').map(Number);
const batch = Number(values.batch);

async function wasmConvMs(shapes: ConvShape[]): Promise<PeakResult> {
  return runBenchPage<PeakResult>('scripts/browser-bench/peak.html', { shapes: JSON.stringify(shapes), batch: String(batch) });
}

async function torchConvMs(shapes: ConvShape[]): Promise<{ ms: number[]; threads: number } | string> {
  const script = resolve(import.meta.dirname, 'torch_convs.py');
  const args = [script, '--shapes', JSON.stringify(shapes), '--batch', String(batch), '--threads', String(availableParallelism())];
  try {
    const { stdout } = await run(PYTHON, args, { timeout: 600_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { ms: number[]; threads: number };
  } catch (err) {
    const e = err as { code?: number | string; message?: string };
    if (e.code === 'ENOENT' || e.code === 3) return `PyTorch absent (${PYTHON} with torch)`;
    return `PyTorch failed: ${e.message ?? String(err)}`;
  }
}

const total = (shapes: ConvShape[], ms: number[]): number => shapes.reduce((sum, c, i) => sum + c.count * (ms[i] ?? NaN), 0);
const gflops = (flops: number, ms: number): string => `${(flops / ms / 1e6).toFixed(0)} GFLOP/s`;

console.log(`load: ${execSync('uptime').toString().trim()}`);
console.log(
  '| input | ResNet50 forward convs, weights packed: WASM | same convs: PyTorch | conv floor of a finetune step on WASM (3x forward) | PyTorch finetune step | best possible ours/PyTorch |',
);
console.log('|---|---|---|---|---|---|');
for (const size of sizes) {
  const shapes = resnet50ConvShapes(size);
  const flops = shapes.reduce((sum, c) => sum + c.count * convFlops(c, batch), 0);
  const wasm = await wasmConvMs(shapes);
  const torch = await torchConvMs(shapes);
  const step = await torchStep(REGIMES.finetune.learningRates, size, batch, 3);
  const wasmMs = total(shapes, wasm.ms);
  // resnet50ConvShapes lists the stem first.
  const stem = wasm.ms[0] ?? 0;
  const floor = 3 * wasmMs - stem;
  const torchCell =
    typeof torch === 'string'
      ? torch
      : `${total(shapes, torch.ms).toFixed(0)} ms (${gflops(flops, total(shapes, torch.ms))}), ${torch.threads} threads`;
  const stepCell = step.ok
    ? `${step.step.minMsPerStep.toFixed(0)} ms fastest (${((1000 * batch) / step.step.minMsPerStep).toFixed(1)} img/s)`
    : step.reason;
  const ratio = step.ok ? `≤ ${(step.step.minMsPerStep / floor).toFixed(2)}x` : 'n/a';
  console.log(
    `| ${size} px, batch ${batch} | ${wasmMs.toFixed(0)} ms (${gflops(flops, wasmMs)}), ${wasm.threads ?? '?'} threads | ${torchCell} | ${floor.toFixed(0)} ms (≤ ${((1000 * batch) / floor).toFixed(1)} img/s) | ${stepCell} | ${ratio} |`,
  );
}
