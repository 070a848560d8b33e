/**
 * `npm run bench:peak [-- --sizes 64,112] [--batch 16] [--cpu auto|simd|fma]`: every convolution shape of
 * ResNet50, timed in headless Chromium on the lab's WASM backend (all cores) beside PyTorch's oneDNN
 * on the same cores:
 * - XNNPACK: tfjs-backend-wasm's built-in forward with its weights packed beforehand (its best case);
 * - ours: the lab's CPU kernels (src/ml/cpu): forward, input gradient, filter gradient, new weights
 *   every call, as in training;
 * - PyTorch: forward, input gradient (torch.nn.grad.conv2d_input), weight gradient (conv2d_weight).
 * Then the totals of a full fine-tune step's convolutions (the stem has no input gradient), ours
 * against PyTorch's, and PyTorch's whole step. Asserts nothing; figures vary with the machine's load,
 * which is printed.
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

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,112' },
    batch: { type: 'string', default: '16' },
    cpu: { type: 'string', default: 'auto' },
  },
});
const sizes = (values.sizes ?? '64').split(',').map(Number);
const batch = Number(values.batch);

interface TorchConvs {
  readonly forward: number[];
  readonly input: (number | null)[];
  readonly filter: number[];
  readonly threads: number;
}

async function torchConvMs(shapes: ConvShape[]): Promise<TorchConvs | string> {
  const script = resolve(import.meta.dirname, 'torch_convs.py');
  const args = [script, '--shapes', JSON.stringify(shapes), '--batch', String(batch), '--threads', String(availableParallelism())];
  try {
    const { stdout } = await run(PYTHON, args, { timeout: 900_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TorchConvs;
  } catch (err) {
    const e = err as { code?: number | string; message?: string };
    if (e.code === 'ENOENT' || e.code === 3) return `PyTorch absent (${PYTHON} with torch)`;
    return `PyTorch failed: ${e.message ?? String(err)}`;
  }
}

const rate = (flops: number, ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? '—' : `${(flops / ms / 1e6).toFixed(0)}`;
const sum = (shapes: ConvShape[], ms: readonly (number | null)[]): number =>
  shapes.reduce((s, c, i) => s + c.count * (Number.isFinite(ms[i]) ? (ms[i] as number) : 0), 0);

console.log(`load: ${execSync('uptime').toString().trim()}`);
for (const size of sizes) {
  const shapes = resnet50ConvShapes(size);
  const ours = await runBenchPage<PeakResult>('scripts/browser-bench/peak.html', {
    shapes: JSON.stringify(shapes),
    batch: String(batch),
    cpu: values.cpu ?? 'auto',
  });
  const torch = await torchConvMs(shapes);
  const step = await torchStep(REGIMES.finetune.learningRates, size, batch, 3);
  const t = typeof torch === 'string' ? null : torch;
  console.log(
    `\n${size} px, batch ${batch}: ${ours.kernels}; PyTorch ${t ? `${t.threads} threads` : torch}. GFLOP/s per shape (fwd = forward, dx = input gradient, dW = filter gradient):`,
  );
  console.log('| conv | count | XNNPACK fwd (packed) | ours fwd | ours dx | ours dW | PyTorch fwd | PyTorch dx | PyTorch dW |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  shapes.forEach((c, i) => {
    const f = convFlops(c, batch);
    // prettier-ignore
    console.log(`| ${c.k}x${c.k}/${c.stride} ${c.size}px ${c.ci}→${c.co} | ${c.count} | ${rate(f, ours.xnnpack[i])} | ${rate(f, ours.forward[i])} | ${rate(f, ours.input[i])} | ${rate(f, ours.filter[i])} | ${rate(f, t?.forward[i])} | ${rate(f, t?.input[i])} | ${rate(f, t?.filter[i])} |`);
  });
  const flops = shapes.reduce((s, c) => s + c.count * convFlops(c, batch), 0);
  const stemFlops = convFlops(shapes[0]!, batch);
  const totals = (label: string, fwd: number, dx: number, dw: number): string =>
    `${label}: forward ${fwd.toFixed(0)} ms (${rate(flops, fwd)} GFLOP/s), input gradient ${dx.toFixed(0)} ms (${rate(flops - stemFlops, dx)}), filter gradient ${dw.toFixed(0)} ms (${rate(flops, dw)}); a step's convolutions ${(fwd + dx + dw).toFixed(0)} ms`;
  console.log(totals('ours', sum(shapes, ours.forward), sum(shapes, ours.input), sum(shapes, ours.filter)));
  console.log(
    `XNNPACK forward, weights packed: ${sum(shapes, ours.xnnpack).toFixed(0)} ms (${rate(flops, sum(shapes, ours.xnnpack))} GFLOP/s)`,
  );
  if (t) console.log(totals('PyTorch', sum(shapes, t.forward), sum(shapes, t.input), sum(shapes, t.filter)));
  console.log(
    `PyTorch finetune step: ${step.ok ? `${step.step.minMsPerStep.toFixed(0)} ms fastest (${((1000 * batch) / step.step.minMsPerStep).toFixed(1)} img/s)` : step.reason}`,
  );
}
