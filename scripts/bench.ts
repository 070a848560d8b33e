/**
 * `npm run bench [-- --backends wasm,webgpu] [--sizes 64,112] [--regimes finetune,...] [--steps 6] [--skip-probe] [--skip-convert] [--skip-profile]`:
 * figures for the README, measured by running the real worker in headless Chromium through `lab`
 * (run `npm run build` first):
 * - ms per training step of each regime at each size, batch 16, steady state (the first steps,
 *   with shader compilation or XNNPACK set-up, are not timed), beside PyTorch's time for the same
 *   step on the same cores (scripts/bench/torch_step.py, /usr/bin/python3 or BENCH_PYTHON), run
 *   just before and just after ours so the shared machine's drift cancels; says when PyTorch is absent;
 * - on WebGPU, beside each step, where its time goes: one step profiled per kernel and per
 *   convolution shape, GPU time from timestamp queries (scripts/profile-train-step.ts --browser);
 * - the linear probe, 10 epochs on fer2013-mini.zip, cached features vs the backbone every step;
 * - converting a full 25.6 M-parameter .safetensors into TensorFlow.js files, with Chromium's peak RSS.
 * Prints a Markdown table of what came out. Figures vary with the machine's load: `uptime` is printed.
 */
import { execFile, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { REGIME_IDS, REGIMES, type RegimeId } from '../src/shared/regimes.ts';
import { datasetPath } from '../tests/datasets.ts';
import { formatProfile, type StepProfile } from './bench/kernel-profile.ts';
import { torchStep } from './bench/torch.ts';
import { runBenchPage } from './browser-bench/run-page.ts';
import { makeTestWeights } from './weights/make-test-weights.ts';

const ROOT = resolve(import.meta.dirname, '..');
// The real datasets are found as the tests find them: EXPRESSION_LAB_DATASETS, else ../shared/datasets.
const MINI = datasetPath('fer2013-mini.zip');
const run = promisify(execFile);

async function lab(args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('npx', ['tsx', 'scripts/lab/main.ts', ...args], { cwd: ROOT, maxBuffer: 256 << 20, timeout: 3_600_000 });
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `steps` x 16 train images (round-robin over classes) and 7 validation images from fer2013-mini. */
function stepDataset(dir: string, steps: number): string {
  const mini = unzipSync(readFileSync(MINI));
  const names = Object.keys(mini);
  const out: Record<string, Uint8Array> = {};
  const classes = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];
  for (let i = 0; i < steps * 16; i++) {
    const cls = classes[i % 7] as string;
    const name = names.filter((n) => n.startsWith(`train/${cls}/`))[Math.floor(i / 7)] as string;
    out[name] = mini[name] as Uint8Array;
  }
  for (const cls of classes) {
    const name = names.find((n) => n.startsWith(`test/${cls}/`)) as string;
    out[name.replace(/^test\//, 'val/')] = mini[name] as Uint8Array;
  }
  const path = join(dir, `steps-${steps}.zip`);
  writeFileSync(path, zipSync(out));
  return path;
}

/** Sum of RSS (MB) of this benchmark's Chromium processes, sampled until `stop()`; returns the peak. */
function sampleChromiumRss(): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = execSync("ps -eo rss,args | grep expression-lab-chromium | grep -v grep | awk '{s+=$1} END {print s+0}'").toString();
      peak = Math.max(peak, Number(kb) / 1024);
    } catch {
      /* ps raced a process exit; the next sample counts */
    }
  }, 100);
  return { stop: () => (clearInterval(timer), peak) };
}

/**
 * Our step times from `lab train --batches`, [mean, fastest]: batch k's event carries the running
 * rate seen_k / t_k, so t_k = 16k / rate. On wasm a step computes inside trainStep and batch k is
 * read after step k+1 ran, so t_k − t_(k−1) is step k+1 and t_N − t_1 spans steps 3..N; on GPU
 * backends reads lag less: steps 2..N.
 */
async function ourStep(data: string, regime: RegimeId, size: number, backend: string, steps: number): Promise<[number, number]> {
  const extra = regime === 'linear' ? ['--exact-seed'] : [];
  const args = [
    'train',
    data,
    '--regime',
    regime,
    '--epochs',
    '1',
    '--batch',
    '16',
    '--size',
    String(size),
    '--backend',
    backend,
    '--batches',
  ];
  const lines = await lab([...args, ...extra]);
  const t = new Map<number, number>();
  for (const l of lines)
    if (l.type === 'batch') t.set(l.batch as number, ((l.batch as number) * 16 * 1000) / (l.imagesPerSecond as number));
  const at = (k: number): number => {
    const ms = t.get(k);
    if (ms === undefined) throw new Error(`lab train printed no event for batch ${k} (got ${[...t.keys()].join(', ')})`);
    return ms;
  };
  const deltas = Array.from({ length: steps - 2 }, (_, i) => at(i + 2) - at(i + 1)).filter((d) => d > 0);
  const mean = (at(steps) - at(1)) / (steps - (backend === 'wasm' ? 2 : 1));
  return [mean, Math.min(mean, ...deltas)];
}

const imgPerSecond = (ms: number): string => `${((16 * 1000) / ms).toFixed(1)} img/s`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: 'wasm' },
      steps: { type: 'string', default: '6' },
      sizes: { type: 'string', default: '64,112' },
      regimes: { type: 'string', default: REGIME_IDS.join(',') },
      'skip-probe': { type: 'boolean' },
      'skip-convert': { type: 'boolean' },
      'skip-profile': { type: 'boolean' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-bench-'));
  const rows: string[][] = [];
  const profiles: string[] = [];
  const emit = (row: string[]) => (rows.push(row), process.stderr.write(`${row.join(' | ')}\n`));
  try {
    process.stderr.write(`load: ${execSync('uptime').toString().trim()}\n`);
    const steps = Number(values.steps);
    if (!(steps >= 3)) throw new Error('--steps must be at least 3 (the first two steps are not timed)');
    const data = stepDataset(dir, steps);
    for (const backend of String(values.backends).split(',')) {
      for (const size of String(values.sizes).split(',').map(Number)) {
        for (const regime of String(values.regimes).split(',') as RegimeId[]) {
          if (!REGIME_IDS.includes(regime)) throw new Error(`--regimes: "${regime}" is not one of ${REGIME_IDS.join(', ')}`);
          // PyTorch before and after ours: drift of the shared machine's load cancels in the mean.
          const rates = REGIMES[regime].learningRates;
          const before = await torchStep(rates, size, 16, steps - 1);
          const [ours, oursBest] = await ourStep(data, regime, size, backend, steps);
          const after = before.ok ? await torchStep(rates, size, 16, steps - 1) : before;
          const torch =
            before.ok && after.ok
              ? {
                  mean: (before.step.msPerStep + after.step.msPerStep) / 2,
                  best: Math.min(before.step.minMsPerStep, after.step.minMsPerStep),
                }
              : null;
          const threads = before.ok ? before.step.threads : 0;
          // Fastest steps as well as means: other jobs on a shared machine slow some steps, not all.
          const pair = (mean: number, best: number) =>
            `${Math.round(mean)} ms mean, ${Math.round(best)} ms fastest (${imgPerSecond(best)})`;
          emit([
            `train step, ${regime}${regime === 'linear' ? ' (backbone every step)' : ''}, ${size} px, batch 16`,
            backend,
            pair(ours, oursBest),
            torch === null
              ? after.ok
                ? ''
                : after.reason
              : `${pair(torch.mean, torch.best)}, torch ${before.ok ? before.step.torch : ''}, ${threads} threads`,
            torch === null ? '—' : `${(torch.mean / ours).toFixed(2)}x mean, ${(torch.best / oursBest).toFixed(2)}x fastest`,
          ]);
          if (backend === 'webgpu' && !values['skip-profile']) {
            // prettier-ignore
            const query = { regime, size: String(size), batch: '16', backend, timed: '1', cpu: 'auto', xnnpack: 'one', webgpuKernels: 'lab' };
            const p = await runBenchPage<StepProfile & { variant: string }>('scripts/browser-bench/profile.html', query);
            const lines = formatProfile(p, `where a ${regime} step's time goes, ${size} px, batch 16, ${p.variant}`, 10);
            process.stderr.write(`${lines.join('\n')}\n`);
            profiles.push(...lines, '');
          }
        }
      }
    }
    if (!values['skip-probe']) {
      for (const [label, extra] of [
        ['cached features', []],
        ['backbone every step', ['--exact-seed']],
      ] as const) {
        const lines = await lab([
          'train',
          MINI,
          '--regime',
          'linear',
          '--epochs',
          '10',
          '--batch',
          '64',
          '--size',
          '48',
          '--backend',
          'wasm',
          ...extra,
        ]);
        const summary = lines.at(-1) as { runs: { seconds: number; bestAccuracy: number }[] };
        emit([`linear probe, 10 epochs, fer2013-mini.zip, 48 px, ${label}`, 'wasm', `${summary.runs[0]?.seconds.toFixed(1)} s`, '', '']);
      }
    }
    if (!values['skip-convert']) {
      const weights = join(dir, 'model.safetensors');
      writeFileSync(weights, await makeTestWeights(1));
      const rss = sampleChromiumRss();
      const started = performance.now();
      const [converted] = await lab(['convert', weights, join(dir, 'tfjs'), '--backend', 'wasm']);
      const wall = (performance.now() - started) / 1000;
      emit([
        'convert 25.6 M-parameter .safetensors → tfjs (in the worker)',
        'wasm',
        `${((converted?.totalMs as number) / 1000).toFixed(1)} s in the worker, ${wall.toFixed(1)} s with Chromium's start; peak Chromium RSS ${Math.round(rss.stop())} MB`,
        '',
        '',
      ]);
    }
    process.stderr.write(`load: ${execSync('uptime').toString().trim()}\n`);
    const header = [
      '| what | backend | figure | PyTorch, same step and cores, interleaved | ours/PyTorch speed |',
      '|---|---|---|---|---|',
    ];
    process.stdout.write([...header, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n');
    if (profiles.length > 0) process.stdout.write(['', ...profiles].join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
