import type { ParseArgsConfig } from 'node:util';
import type { JsonSafe } from '../../src/shared/bridge.ts';
import type { DatasetSummary } from '../../src/shared/types.ts';
import { DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION, MAX_UNCOMPRESSED_BYTES } from '../../src/shared/train-defaults.ts';
import { datasetSourceFor } from './inputs.ts';
import { openLabSession, requestId, type LabSession } from './lab-session.ts';

/** What a `lab` subcommand gets: parsed options, and where to write JSON (stdout) and text (stderr). */
export interface LabCommandContext {
  readonly backend: Parameters<typeof openLabSession>[0]['backend'];
  readonly verbose: boolean;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
  print(object: unknown): void;
  say(text: string): void;
}

export interface LabCommand {
  readonly summary: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(context: LabCommandContext): Promise<void>;
}

/** Opens a lab session for the command's backend and always closes it. */
export async function withLab<T>(ctx: LabCommandContext, body: (lab: LabSession) => Promise<T>): Promise<T> {
  const lab = await openLabSession({ backend: ctx.backend, verbose: ctx.verbose });
  try {
    return await body(lab);
  } finally {
    await lab.close();
  }
}

/** Imports a dataset in the worker and returns its summary (thumbnails reduced to byte counts). */
export async function importInto(lab: LabSession, ctx: LabCommandContext, path: string): Promise<JsonSafe<DatasetSummary>> {
  let lastPercent = -1;
  lab.onEvent((event) => {
    if (event.type !== 'dataset/progressed') return;
    const percent = Math.floor((100 * (event.done as number)) / Math.max(1, event.total as number));
    if (percent !== lastPercent && percent % 10 === 0) ctx.say(`${event.phase as string} ${percent}%`);
    lastPercent = percent;
  });
  const reply = await lab.request({
    type: 'dataset/load',
    requestId: requestId(),
    source: datasetSourceFor(path, lab.server),
    options: {
      validationFraction: Number(ctx.values['validation-fraction'] ?? DEFAULT_VALIDATION_FRACTION),
      seed: Number(ctx.values.seed ?? DEFAULT_SEED),
      maxUncompressedBytes: Number(ctx.values['max-bytes'] ?? MAX_UNCOMPRESSED_BYTES),
    },
  });
  return reply.summary;
}
