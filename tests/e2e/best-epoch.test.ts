/**
 * One rule for a run's "best" (src/shared/best-epoch.ts), checked end to end: the same run trained by
 * `lab train` and in the app (same seed, data, weights, backend: the CPU kernels give the same numbers
 * on any thread count) shows the same best epoch, accuracy at it, and final-epoch accuracy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatPercent } from '../../src/ui/common/format.ts';
import { lab, screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const EPOCHS = 3;
const SETTINGS = { regime: 'discriminative', batch: '16', size: '48', epochs: String(EPOCHS), seed: '42' };

interface CliRun {
  readonly bestEpoch: number;
  readonly bestAccuracy: number;
  readonly bestValidationLoss: number;
  readonly finalAccuracy: number;
}

describe('the best epoch in lab train and in the app', () => {
  let app: AppHarness;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  test('one run on the demo dataset: the same best epoch, its accuracy, and the final-epoch accuracy', { timeout: 900_000 }, async () => {
    const args = Object.entries(SETTINGS).flatMap(([k, v]) => [`--${k}`, v]);
    const { lines } = await lab(['train', 'demo', ...args, '--backend', 'wasm']);
    const epochs = (lines as { type: string; validationLoss: number }[]).filter((l) => l.type === 'epoch');
    assert.equal(epochs.length, EPOCHS);
    const summary = lines.at(-1) as { type: string; runs: CliRun[] };
    const cli = summary.runs[0]!;
    assert.ok(Number.isFinite(cli.bestValidationLoss), 'the summary line carries the best epoch’s validation loss');
    assert.equal(cli.bestValidationLoss, Math.min(...epochs.map((e) => e.validationLoss)));

    const page = await app.open(`?backend=wasm#${new URLSearchParams(SETTINGS)}`);
    await page.getByRole('button', { name: 'Use demo dataset' }).click();
    await useRandomWeights(page);
    await page.getByTestId('start').click();
    await page.waitForFunction(
      `document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === 'completed'`,
      undefined,
      { timeout: 600_000, polling: 500 },
    );
    const row = page.getByTestId('run-row').first();
    await screenshot(page, 'best-epoch-runs-table');
    assert.equal(await row.getByTestId('best-epoch').innerText(), String(cli.bestEpoch));
    assert.equal(await row.getByTestId('best-accuracy').innerText(), formatPercent(cli.bestAccuracy));
    assert.equal(await row.getByTestId('final-accuracy').innerText(), formatPercent(cli.finalAccuracy));
    await page.close();
  });
});
