import { describe, expect, it } from 'vitest';
import { REGIMES } from '../regimes.ts';
import { DEFAULT_TRAIN_CONFIG } from '../train-defaults.ts';
import type { EpochMetrics } from '../types.ts';
import { editsFingerprint } from '../dataset-edits.ts';
import { reportHtml, type ReportRun } from './report-html.ts';

const epoch = (n: number, moved: boolean): EpochMetrics => ({
  epoch: n,
  trainLoss: 1.5 / n,
  trainAccuracy: 0.3 * n,
  validationLoss: 1.4 / n,
  validationAccuracy: 0.25 * n,
  perClassAccuracy: [0.5, 0.25],
  confusion: [
    [2, 2],
    [3, 1],
  ],
  learningRateScale: 1,
  trainMs: 10,
  wallMs: 12,
  ...(moved ? { blockMovement: { 'conv1+bn1': 0, layer1: 0, layer2: 0, layer3: 0.001 * n, layer4: 0.002 * n, fc: 0.1 * n } } : {}),
});

const run = (number: number, regime: 'linear' | 'frozen-lower', moved: boolean): ReportRun => ({
  number,
  config: { ...DEFAULT_TRAIN_CONFIG, regime, learningRates: REGIMES[regime].learningRates, epochs: 2 },
  classes: ['happy', 'sad <3'],
  weightsLabel: 'ImageNet (torchvision IMAGENET1K_V2)',
  backend: 'wasm',
  status: 'completed',
  history: [epoch(1, moved), epoch(2, moved)],
  totalMs: 24_000,
});

describe('reportHtml', () => {
  const html = reportHtml({
    runs: [run(1, 'linear', true), run(3, 'frozen-lower', false)],
    dataset: { name: 'fer2013-mini', classes: ['happy', 'sad <3'], counts: { train: 40, validation: 8, test: 8 } },
    app: { version: '0.1.0', tfjs: '4.22.0', backend: 'wasm', adapter: 'WASM SIMD, 2 threads' },
    generatedAt: new Date('2026-12-04T06:00:00Z'),
  });

  it('holds every selected run: comparison row, settings, confusion matrix and movement', () => {
    expect(html).toContain('Expression Lab report: 2 runs');
    expect(html.match(/<section class="run" data-run="\d">/g)).toHaveLength(2);
    expect(html).toContain('Run 1 · Linear probe');
    expect(html).toContain('Run 3 · Frozen lower layers');
    expect(html).toContain('layer1 0, layer2 0');
    expect(html).toContain('50.00 %</td>'); // best val acc of epoch 2
    expect(html).toContain('How far each block moved');
    expect(html).toContain('No block movement kept for this run.');
    expect(html).toContain('fer2013-mini');
    expect(html).toContain('TensorFlow.js 4.22.0 · backend wasm (WASM SIMD, 2 threads)');
  });

  it('is self-contained and escapes what it quotes', () => {
    expect(html).not.toMatch(/<script|<link|<img|url\(|@import/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
    expect(html).toContain('sad &lt;3');
    expect(html).not.toContain('sad <3');
    expect(html.match(/<svg /g)?.length).toBe(2 + 1); // loss, accuracy, one movement chart
  });
});

describe('reportHtml with dataset edits', () => {
  const edits = [
    { split: 'train' as const, path: 'train/sad/7.png', from: 1, to: null },
    { split: 'validation' as const, path: 'val/happy/2.png', from: 0, to: 1 },
  ];
  const html = reportHtml({
    runs: [{ ...run(1, 'linear', true), edits }, run(2, 'linear', true)],
    dataset: null,
    app: { version: '0.1.0', tfjs: null, backend: 'wasm' },
    generatedAt: new Date('2026-12-04T06:00:00Z'),
  });

  it('names the edits each run trained with in its settings, lists them, and warns that the runs saw different edits', () => {
    expect(html).toContain(`trained with 2 edits (1 excluded, 1 relabelled), fingerprint ${editsFingerprint(edits)}`);
    expect(html).toContain('train: train/sad/7.png excluded (was sad &lt;3)');
    expect(html).toContain('validation: val/happy/2.png happy → sad &lt;3');
    expect(html).toContain('<th>dataset edits</th><td>none</td>');
    expect(html).toMatch(
      /data-section="edits-mismatch">⚠ These runs trained on different edits of the dataset \(run 1: edits [0-9a-f]{8}; run 2: no edits\)/,
    );
  });
});
