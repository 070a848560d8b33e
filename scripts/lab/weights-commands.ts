import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { withLab, type LabCommand } from './command-context.ts';
import { weightsRequestFor } from './inputs.ts';
import { requestId } from './lab-session.ts';
import { recordedInputSize } from './recorded-size.ts';

const IMAGE = /\.(jpe?g|png|webp|bmp|gif)$/i;

export const convertCommand: LabCommand = {
  summary:
    'convert a torchvision/timm ResNet50 .safetensors or PyTorch .pth/.pt into TensorFlow.js layers format (model.json + weights.bin)',
  usage: 'convert <weights.safetensors|.pth|.pt> <outdir>',
  options: {
    size: {
      type: 'string',
      value: 'PX',
      default: '224',
      description: 'input side the converted model records (the run trains at its own size)',
    },
  },
  async run(ctx) {
    const [input, outDir] = ctx.positionals;
    if (!input || !outDir) throw new Error('Usage: npm run lab -- convert <in.safetensors|in.pth> <outdir> [--size 224]');
    await withLab(ctx, async (lab) => {
      const started = performance.now();
      const loaded = await lab.request({
        type: 'weights/load',
        requestId: requestId(),
        request: weightsRequestFor(input, lab.server, 0),
      });
      const loadedMs = performance.now() - started;
      for (const note of loaded.info.notes ?? []) ctx.say(`${basename(input)}: ${note}`);
      lab.setOutputDir(outDir);
      await lab.request({ type: 'weights/export', requestId: requestId(), inputSize: Number(ctx.values.size) });
      const totalMs = performance.now() - started;
      ctx.say(
        `converted ${basename(input)} (${loaded.info.parameterCount.toLocaleString('en')} parameters) into ${resolve(outDir)} in ${(totalMs / 1000).toFixed(1)} s`,
      );
      ctx.print({
        out: resolve(outDir),
        files: lab.outputs,
        parameterCount: loaded.info.parameterCount,
        loadMs: Math.round(loadedMs),
        totalMs: Math.round(totalMs),
      });
    });
  },
};

/** Image files named on the command line, and the images inside any zip among them, as bytes. */
export function collectImages(paths: readonly string[]): { name: string; bytes: Uint8Array }[] {
  return paths.flatMap((path) => {
    if (!statSync(path, { throwIfNoEntry: false })) throw new Error(`${path} does not exist.`);
    if (path.toLowerCase().endsWith('.zip')) {
      return Object.entries(unzipSync(readFileSync(path)))
        .filter(
          ([name, bytes]) =>
            IMAGE.test(name) && bytes.byteLength > 0 && !name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX'),
        )
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, bytes]) => ({ name, bytes }));
    }
    return [{ name: path, bytes: readFileSync(path) }];
  });
}

export const predictCommand: LabCommand = {
  summary: 'classify images (files or a zip) with given weights; prints per-image logits and the top class (--cam: Grad-CAM too)',
  usage: 'predict --weights <dir|file.safetensors|file.pth> <image files or a zip> [--cam DIR]',
  options: {
    weights: { type: 'string', value: 'DIR|FILE', description: 'a lab export (tfjs folder), a .safetensors or a PyTorch .pth/.pt file' },
    size: {
      type: 'string',
      value: 'PX',
      fallback: 'the size recorded with the weights (224 for plain torchvision files)',
      description: 'resize images to this side',
    },
    cam: {
      type: 'string',
      value: 'DIR',
      description:
        'Grad-CAM of each top class at layer4: overlay PNGs written into DIR, and the raw map (layer4 resolution) in each JSON line',
    },
  },
  async run(ctx) {
    const weights = ctx.values.weights;
    if (typeof weights !== 'string' || ctx.positionals.length === 0) {
      throw new Error(
        'Usage: npm run lab -- predict --weights <dir|file.safetensors|file.pth> <image files or a zip> [--size S] [--cam DIR]',
      );
    }
    if (!statSync(weights, { throwIfNoEntry: false })) throw new Error(`--weights ${weights} does not exist.`);
    const recorded = recordedInputSize(weights);
    const size = ctx.values.size === undefined ? recorded.size : Number(ctx.values.size);
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`--size must be a positive whole number of pixels (got "${String(ctx.values.size)}")`);
    ctx.say(
      ctx.values.size === undefined ? `input size ${size} px (${recorded.from}; --size to override)` : `input size ${size} px (--size)`,
    );
    const images = collectImages(ctx.positionals);
    if (images.length === 0) throw new Error('No images found in the given files (JPEG, PNG, WebP, BMP or GIF).');
    const camDir = typeof ctx.values.cam === 'string' ? ctx.values.cam : null;
    await withLab(ctx, async (lab) => {
      const loaded = await lab.request({
        type: 'weights/load',
        requestId: requestId(),
        request: weightsRequestFor(weights, lab.server, 0),
      });
      for (const note of loaded.info.notes ?? []) ctx.say(`${basename(weights)}: ${note}`);
      if (camDir) lab.setOutputDir(camDir);
      const reply = await lab.request({
        type: 'predict/files',
        requestId: requestId(),
        runId: null,
        inputSize: size,
        files: images.map((image) => ({ name: image.name, data: { $fetch: lab.server.offerBytes(image.bytes) } })) as never,
        ...(camDir ? { cam: true } : {}),
      });
      for (const result of reply.results) {
        // The overlay PNG was saved into DIR; the line names its path instead of the download record.
        const { overlay, ...rest } = result;
        ctx.print(overlay && camDir ? { ...rest, overlay: join(resolve(camDir), overlay.name) } : rest);
        ctx.say(
          result.error
            ? `${result.name}: ${result.error}`
            : `${result.name}: ${result.top?.label} (${((result.top?.probability ?? 0) * 100).toFixed(1)}%)`,
        );
      }
    });
  },
};
