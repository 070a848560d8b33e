/**
 * Runs say exactly what they trained (issue 21), in the built app: a link that names a regime with a
 * malformed `lr` gets that regime's rates and says so; a run with edited rates is shown as a custom
 * variant with its rates; rates edited back to another regime's are named as that regime.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

async function trainOneRun(page: Page, row: number): Promise<void> {
  await page.getByTestId('start').click();
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid="run-row"]')[${row}]?.getAttribute('data-status') === 'completed'`,
    undefined,
    { timeout: 600_000, polling: 500 },
  );
}

async function setRate(page: Page, block: string, value: string): Promise<void> {
  const field = page.getByLabel(block, { exact: true });
  await field.fill(value);
  await field.blur();
}

describe('runs are named by what they trained', () => {
  let app: AppHarness;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  test(
    'a bad lr in a link is reported; edited rates make a custom run; rates edited back are that regime',
    { timeout: 900_000 },
    async () => {
      const page = await app.open('?backend=wasm#regime=finetune&lr=oops&size=48&epochs=1&batch=32');
      const message = page.getByTestId('error-message').filter({ hasText: 'lr=oops' });
      await message.waitFor({ timeout: 60_000 });
      assert.match(await message.innerText(), /used the Full fine-tune rates/);
      assert.equal(
        await page.getByLabel('layer3', { exact: true }).inputValue(),
        '0.01',
        'the regime named in the link gets its own rates',
      );
      assert.match(await page.getByTestId('rates-name').innerText(), /called “Full fine-tune”/);

      await page.getByRole('button', { name: 'Use demo dataset' }).click();
      await useRandomWeights(page);

      await setRate(page, 'layer3', '0.002');
      assert.match(await page.getByTestId('rates-name').innerText(), /no regime’s: runs will be called “Full fine-tune \(custom rates\)”/);
      await trainOneRun(page, 0);
      const first = page.getByTestId('run-row').nth(0);
      assert.match(await first.getByTestId('run-regime').innerText(), /Full fine-tune \(custom rates\)/);
      assert.equal(await first.getByTestId('run-rates').innerText(), 'conv1–layer2 0.01 · layer3 0.002 · layer4 0.01 · fc 0.01');

      // The same regime card, the rates edited to the discriminative regime's: named as that regime.
      for (const block of ['conv1', 'bn1', 'layer1', 'layer2', 'layer3', 'layer4']) await setRate(page, block, '0.001');
      await setRate(page, 'fc', '0.01');
      await trainOneRun(page, 1);
      const second = page.getByTestId('run-row').nth(1);
      assert.match(await second.getByTestId('run-regime').innerText(), /^Discriminative learning rates/);
      assert.doesNotMatch(await second.getByTestId('run-regime').innerText(), /custom/);
      assert.equal(await second.getByTestId('run-rates').innerText(), 'backbone 0.001 · fc 0.01');
      await screenshot(page, 'run-names');
      await page.close();
    },
  );
});
