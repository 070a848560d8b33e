/**
 * Writes a full-size (25.6 M parameters, 1000-class fc) ResNet50 state_dict as .safetensors in
 * torchvision's names and layouts, from a seeded torchvision-style random init. Stands in for the
 * real pretrained file wherever nothing can be downloaded (tests, benchmarks).
 *
 *   npx tsx scripts/weights/make-test-weights.ts <out.safetensors> [--seed N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildResNet50 } from '../../src/ml/resnet50.ts';
import { exportTorchvisionStateDict } from '../../src/ml/weights/convert-torchvision.ts';
import { writeSafetensors } from '../../src/ml/weights/safetensors.ts';
import { startNodeTfjs } from './node-tfjs.ts';

/** Bytes of a generated ImageNet-shaped ResNet50 .safetensors (seeded, so the same seed gives the same file). */
export async function makeTestWeights(seed: number): Promise<Uint8Array> {
  await startNodeTfjs();
  const model = buildResNet50({ numClasses: 1000, seed });
  try {
    return writeSafetensors(await exportTorchvisionStateDict(model), {
      format: 'pt',
      note: `Expression Lab test weights, random init seed ${seed}: NOT pretrained`,
    });
  } finally {
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '1' } } });
  const out = positionals[0];
  if (!out) {
    process.stderr.write('Usage: npx tsx scripts/weights/make-test-weights.ts <out.safetensors> [--seed N]\n');
    process.exit(2);
  }
  const bytes = await makeTestWeights(Number(values.seed));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  process.stderr.write(`wrote ${out} (${(bytes.byteLength / 1e6).toFixed(1)} MB)\n`);
}
