/**
 * The scale-out path for real: `lab export-pytorch` writes a project, Debian's PyTorch trains it
 * with DistributedDataParallel (2 gloo processes on the CPU), and `lab import-run` brings the
 * metrics and weights back into the app's worker, whose predictions must equal PyTorch's own.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { parseSafetensors } from '../../src/ml/weights/safetensors.ts';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { datasetPath, missingDataset } from '../datasets.ts';
import { lab, screenshot, startApp } from './helpers.ts';

const run = promisify(execFile);

/**
 * The dataset exported and trained: the real fer2013-mini.zip where EXPRESSION_LAB_DATASETS has it
 * (always in CI), else a generated zip of the same shape (7 classes × 60 train + 15 test, 48×48 gray
 * PNGs), so a fresh clone runs the whole round trip too.
 */
const MINI_ZIP = (() => {
  const missing = missingDataset('fer2013-mini.zip');
  if (!missing) return datasetPath('fer2013-mini.zip');
  const generated = join(mkdtempSync(join(tmpdir(), 'expression-lab-pytorch-data-')), 'generated-mini.zip');
  writeFileSync(generated, folderZip({ perClass: { train: 60, test: 15 } }));
  process.stderr.write(`pytorch-export: using generated-mini.zip instead of the real data: ${missing}\n`);
  return generated;
})();

/** A Python that imports torch and torchvision ($PYTHON first, then python3 on PATH, then Debian's). */
function findPython(): string | null {
  for (const candidate of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

const PYTHON = findPython();
const skip = PYTHON
  ? false
  : 'SKIPPED: no python3 with torch and torchvision (Debian: apt install python3-torch python3-torchvision; or set PYTHON)';
if (skip) process.stderr.write(`pytorch-export: ${skip}\n`);

/** ruff and flake8 where installed (as Python modules or on PATH), each run with the project's own settings. */
function lintersAvailable(): { command: string; prefix: string[]; args: string[] }[] {
  const python = PYTHON ?? 'python3';
  const found = [
    [
      { command: python, prefix: ['-m', 'ruff'], args: ['check', '.'] },
      { command: 'ruff', prefix: [], args: ['check', '.'] },
    ],
    [
      { command: python, prefix: ['-m', 'flake8'], args: ['.'] },
      { command: 'flake8', prefix: [], args: ['.'] },
    ],
  ].flatMap((choices) => choices.find((c) => spawnSync(c.command, [...c.prefix, '--version'], { stdio: 'ignore' }).status === 0) ?? []);
  if (found.length < 2) process.stderr.write(`pytorch-export: ${2 - found.length} of ruff/flake8 not installed; linted with what is\n`);
  return found;
}

let work = '';
before(() => {
  work = mkdtempSync(join(tmpdir(), 'expression-lab-pytorch-'));
});
after(() => {
  rmSync(work, { recursive: true, force: true });
  if (MINI_ZIP.endsWith('generated-mini.zip')) rmSync(join(MINI_ZIP, '..'), { recursive: true, force: true });
});

interface Counts {
  readonly train: number[];
  readonly validation: number[];
  readonly test: number[];
}

/** Exports a project with `lab export-pytorch` and returns what the lab said about the split. */
async function exportProject(dir: string, options: string[]): Promise<{ classes: string[]; counts: Counts }> {
  const { lines } = await lab(['export-pytorch', MINI_ZIP, '--epochs', '1', '--batch', '16', ...options, dir]);
  return lines[0] as { classes: string[]; counts: Counts };
}

/**
 * Runs train.py (2 CPU cores are shared: one torch thread per process) in its own process group:
 * past the time limit the whole group is killed, the processes --nproc spawned included, so a hung
 * run cannot go on using the machine under the tests that follow. A failure carries the output's tail.
 */
async function train(dir: string, args: string[]): Promise<void> {
  const child = spawn(PYTHON as string, [join(dir, 'train.py'), '--data', MINI_ZIP, '--cpu', ...args], { cwd: dir, detached: true });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, 900_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) {
    const why = timedOut ? 'ran past 15 minutes and was killed with its processes' : `exited with ${String(code)}`;
    throw new Error(`train.py ${args.join(' ')} ${why}; its output ended with:\n${output}`);
  }
}

interface Imported {
  readonly classes: string[];
  readonly counts: Counts;
  readonly origin: string;
  readonly hasWeights: boolean;
  readonly epochs: Record<string, unknown>[];
  readonly batchCount: number;
}

/**
 * `lab import-run` on train.py's results, predicting the very images train.py predicted (packed into a
 * small zip under their member names); returns the import and the worst relative logit difference.
 */
async function importAndPredict(results: string): Promise<{ imported: Imported; worst: number }> {
  const predicted = JSON.parse(readFileSync(join(results, 'predictions.json'), 'utf8')) as {
    images: { name: string; logits: number[] }[];
  };
  assert.ok(predicted.images.length > 0, 'train.py predicted some images');
  const members = unzipSync(readFileSync(MINI_ZIP));
  const subset = Object.fromEntries(predicted.images.map((p) => [p.name, members[p.name] as Uint8Array]));
  const checked = join(results, 'checked.zip');
  writeFileSync(checked, zipSync(subset));
  const { lines } = await lab(['import-run', results, '--predict', checked]);
  const imported = lines.find((l) => (l as { type: string }).type === 'imported') as Imported;
  const labPredictions = lines.filter((l) => (l as { type: string }).type === 'prediction') as { name: string; logits: number[] }[];
  assert.equal(labPredictions.length, predicted.images.length);
  let worst = 0;
  for (const torchImage of predicted.images) {
    const mine = labPredictions.find((p) => p.name === torchImage.name);
    assert.ok(mine?.logits, `the lab predicted ${torchImage.name}`);
    const scale = Math.max(...torchImage.logits.map(Math.abs));
    const diff = Math.max(...torchImage.logits.map((v, i) => Math.abs(v - (mine.logits[i] as number))));
    worst = Math.max(worst, diff / scale);
  }
  process.stderr.write(
    `pytorch-export: ${predicted.images.length} images, max relative logit difference lab vs PyTorch ${worst.toExponential(2)}\n`,
  );
  return { imported, worst };
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

test(
  'a run exported to PyTorch trains with 2 DDP processes and comes back with the same classes, split and predictions',
  { skip },
  async () => {
    const dir = join(work, 'discriminative');
    const exported = await exportProject(dir, ['--regime', 'discriminative', '--seed', '7', '--size', '48']);
    for (const name of ['train.py', 'requirements.txt', 'README.md', 'config.json', 'split.json'])
      assert.ok(existsSync(join(dir, name)), name);
    await run(PYTHON as string, ['-m', 'py_compile', join(dir, 'train.py')]);
    for (const linter of lintersAvailable()) {
      await run(linter.command, [...linter.prefix, ...linter.args], { cwd: dir });
      process.stderr.write(`pytorch-export: ${[linter.command, ...linter.prefix, ...linter.args].join(' ')} passed\n`);
    }

    const results = join(dir, 'results');
    await train(dir, ['--nproc', '2', '--out', results, '--predict-limit', '24']);
    const metrics = JSON.parse(readFileSync(join(results, 'metrics.json'), 'utf8')) as {
      trainedIn: { processes: number; backend: string };
      dataset: { counts: Counts };
      batches: { batchesPerEpoch: number }[];
    };
    assert.equal(metrics.trainedIn.processes, 2);
    assert.equal(metrics.trainedIn.backend, 'gloo');
    assert.deepEqual(metrics.dataset.counts, exported.counts, 'PyTorch trained on the split the lab made');
    const trainImages = exported.counts.train.reduce((a, b) => a + b, 0);
    assert.equal(metrics.batches.length, Math.ceil(trainImages / 16), 'one batch entry per global step of the epoch');

    const { imported, worst } = await importAndPredict(results);
    assert.deepEqual(imported.classes, exported.classes);
    assert.deepEqual(imported.counts, exported.counts);
    assert.match(imported.origin, /^trained in PyTorch .* on 2 × CPU .*\(gloo\)/);
    assert.ok(imported.hasWeights);
    assert.equal(imported.epochs.length, 1, 'one entry per epoch');
    for (const epoch of imported.epochs)
      for (const key of ['trainLoss', 'trainAccuracy', 'validationLoss', 'validationAccuracy'])
        assert.ok(finite(epoch[key]), `${key} = ${String(epoch[key])}`);
    assert.equal(imported.batchCount, metrics.batches.length);
    assert.ok(worst <= 1e-3, `max relative logit difference ${worst}`);

    // The same results through the app: Export → Import a PyTorch run, then the runs table and Evaluation.
    const app = await startApp();
    try {
      const page = await app.open('?backend=wasm');
      await page.getByTestId('import-pytorch').setInputFiles([join(results, 'metrics.json'), join(results, 'final.safetensors')]);
      const row = page.getByTestId('run-row').first();
      await row.waitFor({ timeout: 120_000 });
      assert.equal(await row.getAttribute('data-status'), 'completed');
      assert.match(await page.getByTestId('run-origin').first().innerText(), /trained in PyTorch .* on 2 × CPU/);
      await page.getByTestId('confusion-matrix').waitFor({ timeout: 30_000 });
      await screenshot(page, 'pytorch-imported-run');
    } finally {
      await app.close();
    }
  },
);

test('with the same seed, 2 DDP processes and 1 process reach the same weights after one step', { skip }, async () => {
  // The linear probe keeps the backbone in inference mode, so the step depends only on the global
  // batch: this checks the batch split, the sampler and the gradient averaging (BatchNorm in training
  // mode would normalise per process, which DDP does by design).
  const dir = join(work, 'linear');
  // 64 px: the lab and train.py both resize the 48 px faces (bilinear, half-pixel centres).
  await exportProject(dir, ['--regime', 'linear', '--seed', '3', '--size', '64']);
  await train(dir, ['--nproc', '2', '--max-steps', '1', '--out', join(dir, 'two'), '--predict-limit', '0']);
  await train(dir, ['--max-steps', '1', '--out', join(dir, 'one'), '--predict-limit', '12']);
  const [two, one] = ['two', 'one'].map((name) => parseSafetensors(readFileSync(join(dir, name, 'final.safetensors'))).tensors);
  assert.equal(two!.size, one!.size);
  let worst = 0;
  for (const [name, tensor] of one!) {
    const other = two!.get(name);
    assert.ok(other, name);
    for (let i = 0; i < tensor.data.length; i++) worst = Math.max(worst, Math.abs((tensor.data[i] as number) - (other.data[i] as number)));
  }
  process.stderr.write(`pytorch-export: max |weight difference| 2 processes vs 1 after one step: ${worst.toExponential(2)}\n`);
  assert.ok(worst <= 1e-5, `weights differ by ${worst}`);
  const [twoSteps, oneSteps] = ['two', 'one'].map(
    (name) => (JSON.parse(readFileSync(join(dir, name, 'metrics.json'), 'utf8')) as { batches: { loss: number }[] }).batches,
  );
  assert.equal(oneSteps!.length, 1, 'exactly one step was taken');
  assert.equal(twoSteps!.length, 1, 'exactly one step was taken');
  // The same global batch: the loss of the step (summed over both processes) is the single process's.
  assert.ok(Math.abs(twoSteps![0]!.loss - oneSteps![0]!.loss) <= 1e-5 * Math.abs(oneSteps![0]!.loss), 'same loss on the same batch');
  const { worst: resizedWorst } = await importAndPredict(join(dir, 'one'));
  assert.ok(resizedWorst <= 1e-3, `max relative logit difference at 64 px ${resizedWorst}`);
});

test('the processes --nproc starts end when their launcher is killed', { skip }, async () => {
  const dir = join(work, 'orphans');
  await exportProject(dir, ['--regime', 'linear', '--seed', '5', '--size', '48']);
  const launcher = spawn(
    PYTHON as string,
    [join(dir, 'train.py'), '--data', MINI_ZIP, '--cpu', '--nproc', '2', '--out', join(dir, 'out')],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  const children = (): number[] => {
    const listed = spawnSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' }).stdout;
    return listed.split('\n').filter(Boolean).map(Number);
  };
  const waitFor = async (what: string, done: () => boolean, ms: number): Promise<void> => {
    for (const start = Date.now(); !done(); await new Promise((r) => setTimeout(r, 250)))
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
  };
  // mp.spawn also starts a resource tracker: the training processes are the two that run spawn_main.
  let spawned: number[] = [];
  await waitFor(
    'the 2 training processes',
    () => {
      spawned = children().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawn_main'));
      return spawned.length === 2;
    },
    60_000,
  );
  launcher.kill('SIGKILL');
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    } catch {
      return false;
    }
  };
  await waitFor('the training processes to end after their launcher', () => spawned.every((pid) => !alive(pid)), 15_000);
});
