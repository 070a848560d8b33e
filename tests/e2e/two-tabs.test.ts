/**
 * Two tabs of the lab in one browser (headless Chromium, WASM): the second tab says the first one
 * is training, shows the saved lab read-only and cannot start a second writer; when the first tab
 * closes, the second takes over with the run listed once (interrupted, as after a reload).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, startApp, useRandomWeights, type AppHarness } from './helpers.ts';

const SETTINGS = '?backend=wasm#regime=linear&lr=0,0,0,0,0,0,0.01&batch=4&epochs=20&size=48&seed=3';

async function demoShown(page: Page): Promise<void> {
  await page
    .getByTestId('dataset-summary')
    .getByText(/Demo faces/)
    .waitFor({ timeout: 60_000 });
}

describe('two tabs of the lab at once', () => {
  let app: AppHarness;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  test('the second tab says the first is training, writes nothing, and takes over when it closes', { timeout: 300_000 }, async () => {
    const first = await app.open(SETTINGS);
    await first.getByRole('button', { name: 'Use demo dataset' }).click();
    await demoShown(first);
    await first
      .getByTestId('storage-summary')
      .getByText(/^Dataset [1-9][\d.]* [KM]B/)
      .waitFor({ timeout: 30_000 });
    await useRandomWeights(first);
    await first.getByTestId('start').click();
    await first.getByTestId('run-row').first().waitFor({ timeout: 30_000 });

    const second = await app.open(SETTINGS);
    const banner = second.getByTestId('other-tab');
    await banner.getByText(/which is training Run 1 · Linear probe/).waitFor({ timeout: 60_000 });
    assert.match(await banner.innerText(), /This tab shows the saved lab read-only, so that no run is lost or written twice/);
    assert.equal(await first.getByTestId('other-tab').count(), 0, 'the training tab shows no banner');
    await demoShown(second);
    await useRandomWeights(second);
    assert.equal(await second.getByTestId('start').isDisabled(), true, 'no second writer: Start is off in the waiting tab');
    await screenshot(second, 'two-tabs-second-waits');

    await first.close();
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    await second.getByTestId('interrupted-1').waitFor({ timeout: 60_000 });
    assert.equal(await second.getByTestId('run-row').count(), 1, 'the run is listed once');
    await second
      .getByTestId('storage-summary')
      .getByText(/· 1 run\b/)
      .waitFor({ timeout: 30_000 });
    await second.waitForFunction(`!document.querySelector('[data-testid="start"]')?.disabled`, undefined, { timeout: 30_000 });
    await screenshot(second, 'two-tabs-second-took-over');
  });
});
