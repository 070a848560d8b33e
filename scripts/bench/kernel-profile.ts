/**
 * One profiled training step, summarised: used by scripts/profile-train-step.ts in Node and by its
 * --browser page in Chromium. DOM-free.
 */
import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../../src/ml/cpu/active-engine.ts';
import { wasmHeapMemory } from '../../src/ml/cpu/tfjs-wasm-heap.ts';
import type { ResNet50 } from '../../src/ml/model.ts';
import type { RegimeId } from '../../src/shared/regimes.ts';
import { syntheticStep } from './synthetic-step.ts';

/** Time spent in one kernel, or in one kernel on one set of input shapes. */
export interface KernelTime {
  readonly name: string;
  readonly ms: number;
  readonly calls: number;
}

export interface StepProfile {
  /** Wall time of each unprofiled step after the warm-up ones. */
  readonly stepsMs: number[];
  /** Wall time of the profiled step (tf.profile's own overhead included). */
  readonly profiledMs: number;
  /** Every kernel by total time, largest first. */
  readonly kernels: KernelTime[];
  /** Convolution kernels per input shapes ("Conv2D [[16,4,4,256],[3,3,256,256]]"), largest first. */
  readonly convolutions: KernelTime[];
  /** The lab's CPU kernels (src/ml/cpu) by name, as they ran inside the tfjs kernels and the optimizer; empty off wasm. */
  readonly cpuKernels: KernelTime[];
  /** Size of the wasm heap after the steps, in bytes (null off wasm). */
  readonly heapBytes: number | null;
}

function totals(entries: { key: string; ms: number }[]): KernelTime[] {
  const map = new Map<string, { ms: number; calls: number }>();
  for (const { key, ms } of entries) {
    const entry = map.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    map.set(key, entry);
  }
  return [...map].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
}

/** Two warm-up steps, `timed` plain steps, then one step under tf.profile, of `regime` on `model` (batch 16 unless given). */
export async function profileStep(model: ResNet50, regime: RegimeId, size: number, timed: number, batch = 16): Promise<StepProfile> {
  const step = syntheticStep(model, regime, size, batch);
  try {
    await step.run();
    await step.run();
    const stepsMs: number[] = [];
    for (let i = 0; i < timed; i++) {
      const start = performance.now();
      await step.run();
      stepsMs.push(performance.now() - start);
    }
    const engine = activeCpuEngine();
    engine?.startProfile();
    const start = performance.now();
    const info = await tf.profile(() => step.run());
    const profiledMs = performance.now() - start;
    const cpuKernels = engine?.stopProfile() ?? [];
    const heapBytes = tf.getBackend() === 'wasm' ? wasmHeapMemory(tf.backend()).buffer.byteLength : null;
    const kernels = totals(info.kernels.map((k) => ({ key: k.name, ms: Number(k.kernelTimeMs) })));
    const convolutions = totals(
      info.kernels
        .filter((k) => k.name.startsWith('Conv2D'))
        .map((k) => ({ key: `${k.name} ${JSON.stringify(k.inputShapes)}`, ms: Number(k.kernelTimeMs) })),
    );
    return { stepsMs, profiledMs, kernels, convolutions, cpuKernels, heapBytes };
  } finally {
    step.dispose();
  }
}

/** The profile as text lines: the steps, the top `top` kernels and convolution shapes. */
export function formatProfile(p: StepProfile, heading: string, top = 20): string[] {
  const total = p.kernels.reduce((s, k) => s + k.ms, 0);
  const row = (k: KernelTime): string =>
    `${k.ms.toFixed(1).padStart(8)} ms ${((100 * k.ms) / total).toFixed(1).padStart(5)}% ${String(k.calls).padStart(5)} calls  ${k.name}`;
  return [
    `${heading}: steps ${p.stepsMs.map((ms) => ms.toFixed(0)).join(', ')} ms; profiled step ${p.profiledMs.toFixed(0)} ms, kernels ${total.toFixed(0)} ms`,
    "(a scope's time includes the kernels inside it, so the percentages overlap)",
    ...p.kernels.slice(0, top).map(row),
    'convolutions by input shapes:',
    ...p.convolutions.slice(0, top).map(row),
    ...(p.cpuKernels.length > 0
      ? ["the lab's CPU kernels (src/ml/cpu), inside the kernels above and in the optimizer:", ...p.cpuKernels.map(row)]
      : []),
    ...(p.heapBytes === null ? [] : [`wasm heap after the steps: ${(p.heapBytes / 2 ** 20).toFixed(0)} MiB`]),
  ];
}
