/**
 * The input size weights were trained and exported at, as recorded beside them: the model card
 * (`expression-lab` metadata of a .safetensors, or expression-lab.json beside TensorFlow.js files),
 * else the input shape in model.json. `lab predict` uses it when --size is not given, so a model
 * exported at 64 px is run at 64 px, as PyTorch would run it.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Input size of torchvision's ImageNet weights, for files that record none. */
export const IMAGENET_INPUT_SIZE = 224;

function sideOfCard(text: string | undefined): number | null {
  if (!text) return null;
  try {
    const side = (JSON.parse(text) as { preprocessing?: { inputSize?: unknown } }).preprocessing?.inputSize;
    const first = Array.isArray(side) ? side[0] : side;
    return typeof first === 'number' && first > 0 ? first : null;
  } catch {
    return null;
  }
}

/** The `__metadata__` of a .safetensors file, reading only its header. */
function safetensorsMetadata(path: string): Record<string, string> {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    const length = Number(head.readBigUInt64LE(0));
    if (length <= 0 || length > 100 * 1024 * 1024) return {};
    const header = Buffer.alloc(length);
    readSync(fd, header, 0, length, 8);
    return ((JSON.parse(header.toString('utf8')) as { __metadata__?: Record<string, string> }).__metadata__ ?? {}) as Record<
      string,
      string
    >;
  } catch {
    return {};
  } finally {
    closeSync(fd);
  }
}

/** The recorded input size of `weights` (a .safetensors file or a folder of TensorFlow.js files), and where it came from. */
export function recordedInputSize(weights: string): { size: number; from: string } {
  if (statSync(weights).isDirectory()) {
    const card = join(weights, 'expression-lab.json');
    const fromCard = existsSync(card) ? sideOfCard(readFileSync(card, 'utf8')) : null;
    if (fromCard) return { size: fromCard, from: 'expression-lab.json' };
    const model = join(weights, 'model.json');
    const shape = existsSync(model)
      ? /"batch_?[iI]nput_?[sS]hape"\s*:\s*\[\s*null\s*,\s*(\d+)\s*,\s*(\d+)/.exec(readFileSync(model, 'utf8'))
      : null;
    if (shape && shape[1] === shape[2]) return { size: Number(shape[1]), from: "model.json's input shape" };
    return { size: IMAGENET_INPUT_SIZE, from: 'no size recorded: ImageNet default' };
  }
  const fromCard = sideOfCard(safetensorsMetadata(weights)['expression-lab']);
  if (fromCard) return { size: fromCard, from: 'the file’s expression-lab metadata' };
  return { size: IMAGENET_INPUT_SIZE, from: 'no size recorded: ImageNet default' };
}
