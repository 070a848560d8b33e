/**
 * `lab export-pytorch` and `lab import-run`: a run's settings and split out as a PyTorch DDP project,
 * and a PyTorch run's metrics and weights back into the lab's worker (optionally predicting with it).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { projectFiles, TEMPLATE_NAMES, type ProjectTemplates } from '../../src/export-pytorch/project-files.ts';
import { REGIME_IDS, type RegimeId } from '../../src/shared/regimes.ts';
import { importInto, withLab, type LabCommand } from './command-context.ts';
import { requestId } from './lab-session.ts';
import { ROOT } from './server.ts';
import { configFromArgs, loadWeightsFor, RUN_OPTIONS } from './train-command.ts';
import { collectImages } from './weights-commands.ts';

/** The project's template files, read from the repository (the page gets the same files through Vite). */
function readTemplates(): ProjectTemplates {
  const dir = join(ROOT, 'src', 'export-pytorch', 'template');
  return Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, readFileSync(join(dir, name), 'utf8')])) as unknown as ProjectTemplates;
}

export const exportPytorchCommand: LabCommand = {
  summary: 'write a PyTorch DistributedDataParallel project that trains a run (same options as train) on the same split',
  usage: 'export-pytorch <dataset.zip|.csv|folder> <outdir>',
  options: {
    ...RUN_OPTIONS,
    weights: {
      type: 'string',
      value: 'imagenet|FILE',
      fallback: 'a seeded random init, not pretrained',
      description: "the PyTorch run's starting weights: imagenet (torchvision's, downloaded there) or a .safetensors/.pth file",
    },
  },
  async run(ctx) {
    const [dataset, outDir] = ctx.positionals;
    const regime = String(ctx.values.regime);
    if (!dataset || !outDir)
      throw new Error(
        'Usage: npm run lab -- export-pytorch <dataset.zip|.csv|folder> --regime <regime> [train options] [--weights imagenet|file] <outdir>',
      );
    if (!REGIME_IDS.includes(regime as RegimeId)) throw new Error(`--regime must be one of ${REGIME_IDS.join(', ')} (got "${regime}")`);
    const config = configFromArgs(ctx, regime as RegimeId);
    const imagenet = ctx.values.weights === 'imagenet';
    await withLab(ctx, async (lab) => {
      const summary = await importInto(lab, ctx, dataset);
      if (!imagenet && typeof ctx.values.weights === 'string') await loadWeightsFor(lab, ctx);
      lab.setOutputDir(outDir);
      await lab.request({
        type: 'export/pytorch',
        requestId: requestId(),
        runId: null,
        config,
        startFrom: imagenet ? 'imagenet' : 'session',
      });
      const data = ['config.json', 'split.json'].map((name) => ({ name, text: readFileSync(join(outDir, name), 'utf8') }));
      for (const file of projectFiles(readTemplates(), data)) writeFileSync(join(outDir, file.name), file.text);
      const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);
      ctx.say(
        `wrote a PyTorch project for ${regime} on ${summary.name} to ${resolve(outDir)}: train ${total(summary.counts.train)}, ` +
          `validation ${total(summary.counts.validation)}, test ${total(summary.counts.test)} images. Next: python3 ${join(outDir, 'train.py')} --data ${dataset}`,
      );
      ctx.print({ out: resolve(outDir), classes: summary.classes, counts: summary.counts, config });
    });
  },
};

/** metrics.json itself, or the one in a results folder; the weights: --weights, else the file the run kept. */
function resultsFiles(path: string, weights: string | undefined): { metrics: string; weights: string | null } {
  const metrics = existsSync(path) && statSync(path).isDirectory() ? join(path, 'metrics.json') : path;
  if (!existsSync(metrics)) throw new Error(`${metrics} does not exist. Give train.py's results folder or its metrics.json.`);
  if (weights) {
    if (!existsSync(weights)) throw new Error(`--weights ${weights} does not exist.`);
    return { metrics, weights };
  }
  const kept = (JSON.parse(readFileSync(metrics, 'utf8')) as { weights?: { kept?: string } }).weights?.kept;
  const candidate = kept ? join(dirname(metrics), kept) : null;
  return { metrics, weights: candidate && existsSync(candidate) ? candidate : null };
}

export const importRunCommand: LabCommand = {
  summary: "import a PyTorch run (train.py's results) as a lab run; --predict classifies images with it",
  usage: 'import-run <results folder|metrics.json>',
  options: {
    weights: {
      type: 'string',
      value: 'FILE',
      fallback: 'the weights the results name as kept (best or final.safetensors)',
      description: 'weights to import with the run (.safetensors or .pth)',
    },
    predict: { type: 'string', value: 'IMAGES|ZIP', multiple: true, description: 'classify these images with the imported run' },
    size: { type: 'string', value: 'PX', fallback: 'the run’s input size', description: 'resize images for --predict to this side' },
  },
  async run(ctx) {
    const path = ctx.positionals[0];
    if (!path)
      throw new Error(
        'Usage: npm run lab -- import-run <results folder|metrics.json> [--weights file.safetensors|file.pth] [--predict images|zip]',
      );
    const files = resultsFiles(path, typeof ctx.values.weights === 'string' ? ctx.values.weights : undefined);
    await withLab(ctx, async (lab) => {
      const runId = 'imported-1';
      const reply = await lab.request({
        type: 'run/import',
        requestId: requestId(),
        runId,
        metrics: { name: basename(files.metrics), data: { $fetch: lab.server.offer(files.metrics) } },
        weights: files.weights ? { name: basename(files.weights), data: { $fetch: lab.server.offer(files.weights) } } : null,
      });
      const { epochs, batches, ...rest } = reply;
      ctx.say(`imported ${files.metrics} (${reply.origin}), ${epochs.length} epochs, weights: ${files.weights ?? 'none'}`);
      ctx.print({ ...rest, type: 'imported', batchCount: batches.length, epochs: epochs.map(({ confusion: _c, ...m }) => m) });
      const predict = (ctx.values.predict ?? []) as unknown as string[];
      if (predict.length === 0) return;
      const images = collectImages(predict);
      const predicted = await lab.request({
        type: 'predict/files',
        requestId: requestId(),
        runId,
        inputSize: Number(ctx.values.size ?? reply.config.inputSize),
        files: images.map((image) => ({ name: image.name, data: { $fetch: lab.server.offerBytes(image.bytes) } })),
      });
      for (const result of predicted.results) ctx.print({ type: 'prediction', ...result });
    });
  },
};
