/**
 * One rule for a run's "best" (shared/best-epoch.ts): the trainer's rule, `lab train`'s summary and
 * the exported train.py's results writer name the same epoch and accuracy for the same history, and
 * a run imported from train.py's results shows what the file says.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportedRun } from '../../src/export-pytorch/run-format.ts';
import { bestEpochOf, runFigures } from '../../src/shared/best-epoch.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/shared/train-defaults.ts';
import type { EpochMetrics } from '../../src/shared/types.ts';
import { bestEpochOf as runBest, finalAccuracyOf } from '../../src/state/run-labels.ts';
import { summarizeRun } from '../../scripts/lab/train-command.ts';
import { PYTHON, torchMissing } from '../torch.ts';

const TRAIN_PY = join(import.meta.dirname, '../../src/export-pytorch/template/train.py');

/** A history where the best accuracy (epoch 2), the lowest loss (epochs 3 and 5, tied) and the last epoch (6) all differ. */
const HISTORY: EpochMetrics[] = [
  [2.1, 0.2],
  [1.6, 0.61],
  [1.2, 0.52],
  [1.4, 0.55],
  [1.2, 0.58],
  [1.3, 0.57],
].map(([loss, accuracy], i) => ({
  epoch: i + 1,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss: loss!,
  validationAccuracy: accuracy!,
  perClassAccuracy: [accuracy!, accuracy!],
  confusion: [
    [1, 0],
    [0, 1],
  ],
  learningRateScale: 1,
  trainMs: 10,
  wallMs: 12,
}));

/** train.py's own run_figures on `history`, run by Debian's python3 (train.py imports torch). */
function trainPyFigures(history: readonly EpochMetrics[]): Record<string, number> {
  const code = [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("train", ${JSON.stringify(TRAIN_PY)})`,
    'train = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(train)',
    'print(json.dumps(train.run_figures(json.load(sys.stdin))))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', code], { input: JSON.stringify(history), encoding: 'utf8', timeout: 120_000 })) as Record<
    string,
    number
  >;
}

describe('the best epoch, everywhere', () => {
  it('is the lowest validation loss, the earlier on a tie, not the highest accuracy', () => {
    expect(bestEpochOf(HISTORY)).toBe(3);
    expect(runFigures(HISTORY)).toEqual({
      bestEpoch: 3,
      bestValidationAccuracy: 0.52,
      bestValidationLoss: 1.2,
      finalEpoch: 6,
      finalValidationAccuracy: 0.57,
    });
  });

  it('the app’s runs table and lab train’s summary line agree with it', () => {
    expect(runBest({ epochs: HISTORY })).toEqual({ epoch: 3, accuracy: 0.52 });
    expect(finalAccuracyOf({ epochs: HISTORY })).toBe(0.57);
    const summary = summarizeRun(DEFAULT_TRAIN_CONFIG, HISTORY, 1, 'completed');
    expect(summary).toMatchObject({ bestEpoch: 3, bestAccuracy: 0.52, bestValidationLoss: 1.2, finalEpoch: 6, finalAccuracy: 0.57 });
  });

  // Without PyTorch, skipped (tests/torch.ts says why; under EXPRESSION_LAB_REQUIRE_DATASETS=1 it fails instead).
  it.skipIf(torchMissing())('the exported train.py writes the same figures, and a run imported from them shows them', () => {
    const py = trainPyFigures(HISTORY);
    expect(py).toEqual(runFigures(HISTORY));
    // What train.py's RunWriter puts in results/metrics.json, read back as an imported run.
    const results = {
      format: 'expression-lab/run@1',
      classes: ['happy', 'sad'],
      training: { regime: 'discriminative', config: DEFAULT_TRAIN_CONFIG, epochs: HISTORY.length, ...py },
      history: HISTORY,
      batches: [],
      bestEpoch: py.bestEpoch,
      reason: 'completed',
      totalMs: 72,
      trainedIn: { framework: 'PyTorch 1.13.0', device: 'CPU', backend: 'gloo', nodes: 1 },
    };
    const imported = parseImportedRun(JSON.stringify(results), 'metrics.json');
    expect(imported.bestEpoch).toBe(py.bestEpoch);
    expect(runBest({ epochs: imported.history })).toEqual({ epoch: py.bestEpoch, accuracy: py.bestValidationAccuracy });
  });
});
