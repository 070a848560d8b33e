import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BlockLearningRates } from '../../src/shared/regimes.ts';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = resolve(import.meta.dirname, 'torch_step.py');
const run = promisify(execFile);

/** What scripts/bench/torch_step.py printed for one measurement. */
export interface TorchStep {
  readonly msPerStep: number;
  /** The fastest timed step: the least disturbed by other jobs on a shared machine. */
  readonly minMsPerStep: number;
  readonly threads: number;
  readonly torch: string;
}

/** A PyTorch measurement, or why there is none (PyTorch absent, the script failed). */
export type TorchResult = { readonly ok: true; readonly step: TorchStep } | { readonly ok: false; readonly reason: string };

/**
 * Times PyTorch's version of the lab's training step (same regime rates, input size, batch, SGD
 * momentum 0.9) with torch.set_num_threads(every core). Never throws: a missing python3 or torch
 * comes back as `{ ok: false, reason }` so the benchmark can say so in its table.
 */
export async function torchStep(rates: BlockLearningRates, size: number, batch: number, steps: number): Promise<TorchResult> {
  const args = [SCRIPT, '--rates', JSON.stringify(rates), '--size', String(size), '--batch', String(batch), '--steps', String(steps)];
  try {
    const { stdout } = await run(PYTHON, [...args, '--threads', String(availableParallelism())], { timeout: 1_800_000 });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    return { ok: true, step: JSON.parse(line) as TorchStep };
  } catch (err) {
    const e = err as { code?: number | string; stderr?: string; message?: string };
    if (e.code === 'ENOENT') return { ok: false, reason: `PyTorch absent: ${PYTHON} not found` };
    if (e.code === 3) return { ok: false, reason: `PyTorch absent: ${PYTHON} cannot import torch/torchvision` };
    return { ok: false, reason: `PyTorch failed: ${(e.stderr ?? e.message ?? String(err)).trim().split('\n').at(-1)}` };
  }
}
