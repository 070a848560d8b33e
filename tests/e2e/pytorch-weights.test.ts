/**
 * PyTorch's own files in: what Debian's python3-torch writes with torch.save (a bare state dict, a
 * DataParallel checkpoint, the legacy format, a pickled model) through `lab convert`, `lab predict`
 * and the Model panel's drop zone. Logits are compared with PyTorch's on real FER2013 faces.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodePng } from '../../src/data/testing/png.ts';
import { makePthFiles, torchMissing } from '../torch.ts';
import { datasetPath, lab, missingDataset, screenshot, startApp, type AppHarness } from './helpers.ts';

const SIDE = 48;
const FACES = 3;

type Prediction = { name: string; logits: number[] };

/** Largest |lab − PyTorch| over every logit of every image. */
function maxDifference(lab: readonly Prediction[], torch: Record<string, number[]>): number {
  assert.equal(lab.length, Object.keys(torch).length);
  let max = 0;
  for (const p of lab) {
    const want = torch[p.name.split('/').pop() as string];
    assert.ok(want, `PyTorch has logits for ${p.name}`);
    assert.equal(p.logits.length, 7);
    p.logits.forEach((v, c) => (max = Math.max(max, Math.abs(v - (want[c] as number)))));
  }
  return max;
}

/** Exit code 1 and a message matching `pattern`, with no JavaScript stack trace. */
async function refused(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(lab(args), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, pattern);
    assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
    return true;
  });
}

describe(
  'PyTorch .pth files in (lab convert, lab predict, the drop zone)',
  { skip: torchMissing() ?? missingDataset('fer2013-mini.csv') },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'expression-lab-pth-e2e-'));
    const images: string[] = [];
    let torch: Record<string, number[]>;

    before(() => {
      const rows = readFileSync(datasetPath('fer2013-mini.csv'), 'utf8').trim().split('\n').slice(1);
      const spec: { size: number; images: { name: string; pixels: number[] }[] } = { size: SIDE, images: [] };
      // Faces of three different classes, written losslessly so both sides see the same pixels.
      for (const row of [rows[0], rows[80], rows[200]].slice(0, FACES)) {
        const gray = Uint8Array.from((row?.split(',')[1] ?? '').trim().split(' ').map(Number));
        const name = `face-${images.length}.png`;
        writeFileSync(join(dir, name), encodePng(SIDE, SIDE, 1, gray));
        images.push(join(dir, name));
        spec.images.push({ name, pixels: [...gray].flatMap((v) => [v, v, v]) });
      }
      writeFileSync(join(dir, 'pixels.json'), JSON.stringify(spec));
      torch = (JSON.parse(makePthFiles('resnet', dir, join(dir, 'pixels.json'))) as { logits: Record<string, number[]> }).logits;
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('torch.save(model.state_dict()) → lab convert → lab predict gives PyTorch’s logits', async () => {
      const out = join(dir, 'tfjs');
      const converted = await lab(['convert', join(dir, 'state_dict.pth'), out, '--size', String(SIDE), '--backend', 'wasm']);
      assert.equal((converted.lines[0] as { parameterCount: number }).parameterCount, 23_522_375);
      assert.match(converted.stderr, /state_dict\.pth: PyTorch zip archive \(torch\.save\)/);
      const { lines } = await lab(['predict', '--weights', out, '--backend', 'wasm', ...images]);
      const diff = maxDifference(lines as Prediction[], torch);
      process.stdout.write(`state_dict.pth via lab convert + lab predict vs PyTorch: max |logit diff| ${diff.toExponential(2)}\n`);
      assert.ok(diff <= 1e-3, `max |logit diff| ${diff}`);
    });

    test('a DataParallel checkpoint and a legacy (pre-1.6) file give the same logits through lab predict', async () => {
      for (const file of ['checkpoint.pth', 'legacy.pth']) {
        const { lines, stderr } = await lab([
          'predict',
          '--weights',
          join(dir, file),
          '--size',
          String(SIDE),
          '--backend',
          'wasm',
          ...images,
        ]);
        assert.match(stderr, /input size 48 px \(--size\)/);
        const diff = maxDifference(lines as Prediction[], torch);
        process.stdout.write(`${file} via lab predict vs PyTorch: max |logit diff| ${diff.toExponential(2)}\n`);
        assert.ok(diff <= 1e-3, `${file}: max |logit diff| ${diff}`);
      }
    });

    test('torch.save(model) and a truncated file are refused in words, without a stack trace', async () => {
      await refused(
        ['convert', join(dir, 'model.pth'), join(dir, 'never'), '--backend', 'wasm'],
        /model\.pth: this file holds a pickled model class \(torchvision\.models\.resnet\.ResNet\).*save model\.state_dict\(\) instead/,
      );
      const whole = readFileSync(join(dir, 'state_dict.pth'));
      writeFileSync(join(dir, 'cut.pth'), whole.subarray(0, whole.byteLength >> 1));
      await refused(
        ['predict', '--weights', join(dir, 'cut.pth'), '--backend', 'wasm', images[0] as string],
        /cut\.pth is cut short .*truncated/,
      );
    });

    test('the Model panel’s drop zone takes a checkpoint, says what it read, and refuses a pickled model', async () => {
      let app: AppHarness | null = null;
      try {
        app = await startApp();
        const page = await app.open('?backend=wasm');
        await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
        const drop = async (file: string) => {
          const url = app?.server.offer(join(dir, file)) ?? '';
          const transfer = await page.evaluateHandle(
            async ([href, name]) => {
              const dt = new DataTransfer();
              dt.items.add(new File([await (await fetch(href)).blob()], name));
              return dt;
            },
            [url, file] as const,
          );
          const zone = page.getByTestId('weights-dropzone');
          for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer });
        };
        await drop('checkpoint.pth');
        const status = page.getByTestId('weights-status');
        await status.getByText('Your own weights').waitFor({ timeout: 120_000 });
        assert.match(await status.innerText(), /checkpoint\.pth · 23\.5 M parameters/);
        const notes = await page.getByTestId('weights-notes').innerText();
        assert.match(notes, /a training checkpoint: the weights under "state_dict" \(epoch 12\)/);
        assert.match(notes, /removed DataParallel’s "module\." prefixes/);
        assert.match(notes, /fc: 7 classes/);
        await screenshot(page, 'pth-checkpoint-dropped');
        await drop('model.pth');
        const message = page.getByTestId('error-message').filter({ hasText: 'model.pth' });
        await message.waitFor({ timeout: 60_000 });
        assert.match(await message.innerText(), /this file holds a pickled model class.*save model\.state_dict\(\) instead/s);
        assert.doesNotMatch(await message.innerText(), /\n\s+at /);
        await screenshot(page, 'pth-model-refused');
      } finally {
        await app?.close();
      }
    });
  },
);
