import type { DatasetSummary } from '../../src/shared/types.ts';
import { DATASET_OPTIONS, importInto, withLab, type LabCommand, type LabCommandContext } from './command-context.ts';
import { exportPytorchCommand, importRunCommand } from './pytorch-commands.ts';
import { lrFindCommand } from './lr-find-command.ts';
import { reportCommand } from './report-command.ts';
import { trainCommand } from './train-command.ts';
import { convertCommand, predictCommand } from './weights-commands.ts';

const info: LabCommand = {
  usage: 'info',
  summary:
    'print the backend the worker chose, its adapter (on WASM: the CPU kernels’ variant and threads), the tfjs version and the available backends',
  options: {},
  async run(ctx) {
    await withLab(ctx, async (lab) => {
      const { backend, adapter, tfjs, available, reason, threads } = lab.backend;
      ctx.say(`backend ${backend} on ${adapter} (${reason})${threads === null ? '' : `; ${threads} wasm thread(s)`}`);
      ctx.print({ backend, adapter, tfjs, backends: available, reason, threads });
    });
  },
};

const importCommand: LabCommand = {
  usage: 'import <dataset.zip|fer2013.csv|folder>',
  summary: 'import a dataset (zip, FER2013 CSV or folder) and print its summary',
  options: DATASET_OPTIONS,
  async run(ctx) {
    const path = ctx.positionals[0];
    if (!path)
      throw new Error(
        'Usage: npm run lab -- import <dataset.zip|fer2013.csv|folder> [--group-by auto|image|pattern] [--group-pattern REGEX]',
      );
    await withLab(ctx, async (lab) => {
      const summary = await importInto(lab, ctx, path);
      const { samples: _samples, ...rest } = summary;
      const total = (split: keyof DatasetSummary['counts']) => summary.counts[split].reduce((a, b) => a + b, 0);
      const split =
        summary.splitBy && summary.splitBy.kind !== 'image'
          ? `; split by ${summary.splitBy.kind}: ${summary.splitBy.groups} ${summary.splitBy.kind === 'subject' ? 'subjects' : 'groups'}`
          : '';
      ctx.say(
        `${summary.name}: ${summary.classes.length} classes, train ${total('train')}, validation ${total('validation')}, test ${total('test')}${split}; ` +
          `${summary.skipped.length} skipped; ${(summary.importMs / 1000).toFixed(1)} s; ${(summary.bytesHeld / 1e6).toFixed(1)} MB of pixels`,
      );
      ctx.print({ ...rest, backend: lab.backend.backend });
    });
  },
};

export type { LabCommand, LabCommandContext };

export const LAB_COMMANDS: Record<string, LabCommand> = {
  info,
  import: importCommand,
  convert: convertCommand,
  predict: predictCommand,
  train: trainCommand,
  'lr-find': lrFindCommand,
  report: reportCommand,
  'export-pytorch': exportPytorchCommand,
  'import-run': importRunCommand,
};
