/**
 * `npm run bench [-- --backends wasm,webgpu] [--skip-probe]`: figures for the README, measured by
 * running the real worker in headless Chromium through `lab` (run `npm run build` first):
 * - ms per training step of each regime at 64 px, batch 16: one epoch of `--steps` steps, all of
 *   them finished on the device, divided by the steps (the first includes shader compilation);
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
import { makeTestWeights } from './weights/make-test-weights.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MINI = join(ROOT, '..', 'shared', 'datasets', 'fer2013-mini.zip');
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { backends: { type: 'string', default: 'wasm' }, steps: { type: 'string', default: '3' }, 'skip-probe': { type: 'boolean' } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-bench-'));
  const rows: string[][] = [];
  try {
    process.stderr.write(`load: ${execSync('uptime').toString().trim()}\n`);
    const steps = Number(values.steps);
    const data = stepDataset(dir, steps);
    for (const backend of String(values.backends).split(',')) {
      for (const regime of ['linear', 'finetune', 'discriminative', 'frozen-lower']) {
        const extra = regime === 'linear' ? ['--exact-seed'] : [];
        const lines = await lab([
          'train',
          data,
          '--regime',
          regime,
          '--epochs',
          '1',
          '--batch',
          '16',
          '--size',
          '64',
          '--backend',
          backend,
          ...extra,
        ]);
        const epoch = lines.find((l) => l.type === 'epoch') as { trainMs: number };
        const ms = epoch.trainMs / steps;
        rows.push([
          `train step, ${regime}${regime === 'linear' ? ' (backbone every step)' : ''}, 64 px, batch 16`,
          backend,
          `${Math.round(ms)} ms (mean of ${steps} steps, the first with shader compilation)`,
        ]);
        process.stderr.write(`${rows.at(-1)?.join(' | ')}\n`);
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
        rows.push([`linear probe, 10 epochs, fer2013-mini.zip, 48 px, ${label}`, 'wasm', `${summary.runs[0]?.seconds.toFixed(1)} s`]);
        process.stderr.write(`${rows.at(-1)?.join(' | ')}\n`);
      }
    }
    const weights = join(dir, 'model.safetensors');
    writeFileSync(weights, await makeTestWeights(1));
    const rss = sampleChromiumRss();
    const started = performance.now();
    const [converted] = await lab(['convert', weights, join(dir, 'tfjs'), '--backend', 'wasm']);
    const wall = (performance.now() - started) / 1000;
    rows.push([
      'convert 25.6 M-parameter .safetensors → tfjs (in the worker)',
      'wasm',
      `${((converted?.totalMs as number) / 1000).toFixed(1)} s in the worker, ${wall.toFixed(1)} s with Chromium's start; peak Chromium RSS ${Math.round(rss.stop())} MB`,
    ]);
    process.stderr.write(`load: ${execSync('uptime').toString().trim()}\n`);
    process.stdout.write(['| what | backend | figure |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
