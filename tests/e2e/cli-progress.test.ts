/**
 * `lab train` is never silent (issue 20, part 3): while it works, stderr says what it is doing at
 * least every 10 s, with counts and the time left; stdout stays JSON lines for scripts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from './helpers.ts';

test('lab train reports on stderr at least every 10 s, and stdout holds only JSON lines', { timeout: 600_000 }, async () => {
  const args = ['tsx', 'scripts/lab/main.ts', 'train', 'demo', '--regime', 'finetune', '--epochs', '1', '--batch', '32', '--size', '96'];
  const child = spawn('npx', [...args, '--backend', 'wasm'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = Date.now();
  const writes: { at: number; text: string }[] = [];
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => writes.push({ at: Date.now(), text: chunk.toString() }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const stderr = writes.map((w) => w.text).join('');
  assert.equal(code, 0, stderr);
  const times = [started, ...writes.map((w) => w.at)];
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const longest = Math.max(...gaps);
  process.stdout.write(
    `# lab train: ${writes.length} writes to stderr in ${((Date.now() - started) / 1000).toFixed(0)} s, longest silence ${(longest / 1000).toFixed(1)} s\n`,
  );
  assert.match(stderr, /starting headless Chromium and the lab worker/);
  assert.match(stderr, /finetune epoch 1\/1 0\/\d+ batches \(0%\) \(the first batch builds every kernel/);
  assert.match(stderr, /finetune epoch 1\/1 \d+\/\d+ batches \(\d+%\): \d+ s so far, about \d+ (s|min \d+ s) left/);
  // The heartbeat fires after 8.5 s, checked every 0.5 s.
  assert.ok(longest <= 10_000, `stderr was silent for ${longest} ms:\n${stderr}`);
  for (const line of stdout.split('\n').filter((l) => l.length > 0)) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
});
