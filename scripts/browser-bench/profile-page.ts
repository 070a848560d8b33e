/**
 * Runs in headless Chromium for `scripts/profile-train-step.ts --browser`: the lab's own WASM
 * backend (all cores, its kernels registered), one training step profiled per kernel.
 */
import { chooseBackend } from '../../src/ml/backend.ts';
import type { CpuVariantChoice } from '../../src/ml/cpu/variant.ts';
import { buildResNet50 } from '../../src/ml/resnet50.ts';
import type { RegimeId } from '../../src/shared/regimes.ts';
import { profileStep, type StepProfile } from '../bench/kernel-profile.ts';
import { reportToBench } from './report.ts';

reportToBench(async (): Promise<StepProfile & { threads: number | null; variant: string }> => {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') === 'webgpu' ? 'webgpu' : 'wasm';
  const info = await chooseBackend(backend, `${location.origin}/`, {
    cpuVariant: (params.get('cpu') ?? 'auto') as CpuVariantChoice,
    xnnpackThreads: params.get('xnnpack') === 'all' ? 'all' : 'one',
    webgpuKernels: params.get('webgpuKernels') === 'built-in' ? 'built-in' : 'lab',
  });
  if (info.backend !== backend) throw new Error(`the ${backend} backend did not start: ${info.reason}`);
  const model = buildResNet50({ numClasses: 7, seed: 1 });
  try {
    const profile = await profileStep(
      model,
      params.get('regime') as RegimeId,
      Number(params.get('size')),
      Number(params.get('timed') ?? 3),
      Number(params.get('batch') ?? 16),
    );
    return { ...profile, threads: info.threads, variant: `${info.backend} on ${info.adapter}` };
  } finally {
    model.dispose();
  }
});
