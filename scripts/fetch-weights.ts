/**
 * `npm run weights [-- --url <url>] [--out <dir>]`: downloads torchvision's ImageNet ResNet50
 * (timm's resnet50.tv_in1k safetensors, the same file the app fetches), converts it with the app's
 * own ml/ code and writes TensorFlow.js layers files (model.json + weights.bin) into
 * public/models/resnet50/, which the app then prefers over a download.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertSafetensorsToModel } from '../src/ml/weights/convert-safetensors.ts';
import { saveLayersModel, toLayersModel } from '../src/ml/weights/tfjs-layers-format.ts';
import { DEFAULT_WEIGHTS_URL } from '../src/shared/train-defaults.ts';
import { readBodyWithProgress } from '../src/worker/weights-download.ts';
import { startNodeTfjs } from './weights/node-tfjs.ts';

const ROOT = resolve(import.meta.dirname, '..');
const IMAGENET_CLASSES = 1000;

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(
      `could not reach ${url} (${err instanceof Error ? err.message : String(err)}). Are you online? --url sets another address.`,
    );
  }
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} from ${url}`);
  const started = Date.now();
  const report = (loaded: number, total: number | null): void => {
    const rate = loaded / Math.max(1, (Date.now() - started) / 1000);
    const eta = total ? ` ETA ${Math.ceil((total - loaded) / rate)} s` : '';
    process.stderr.write(`downloading ${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB${eta}\n`);
  };
  return readBodyWithProgress(response, report, 500);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: DEFAULT_WEIGHTS_URL },
      out: { type: 'string', default: join(ROOT, 'public/models/resnet50') },
      size: { type: 'string', default: '224' },
    },
  });
  const url = values.url as string;
  const out = resolve(values.out as string);
  const bytes = await download(url);
  process.stderr.write(`downloaded ${(bytes.byteLength / 1e6).toFixed(1)} MB; converting\n`);
  await startNodeTfjs();
  const { model, report } = convertSafetensorsToModel(bytes, { numClasses: IMAGENET_CLASSES });
  try {
    const layersModel = toLayersModel(model, Number(values.size));
    try {
      const { modelJson, weightsBin } = await saveLayersModel(layersModel);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'model.json'), JSON.stringify(modelJson));
      writeFileSync(join(out, 'weights.bin'), new Uint8Array(weightsBin));
    } finally {
      layersModel.dispose();
    }
  } finally {
    model.dispose();
  }
  process.stderr.write(
    `wrote ${out}/model.json and weights.bin (${report.parameterCount.toLocaleString('en')} parameters). Rebuild (npm run build) or restart the dev server to serve them.\n`,
  );
  process.stdout.write(`${JSON.stringify({ out, url, parameterCount: report.parameterCount, tensors: report.tensors })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`weights: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
