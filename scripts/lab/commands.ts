import type { ParseArgsConfig } from 'node:util';
import { openLabSession } from './lab-session.ts';

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

const info: LabCommand = {
  summary: 'print the backend the worker chose, its adapter, the tfjs version and the available backends',
  options: {},
  async run(ctx) {
    const lab = await openLabSession({ backend: ctx.backend, verbose: ctx.verbose });
    try {
      const { backend, adapter, tfjs, available, reason } = lab.backend;
      ctx.say(`backend ${backend} on ${adapter} (${reason})`);
      ctx.print({ backend, adapter, tfjs, backends: available, reason });
    } finally {
      await lab.close();
    }
  },
};

export const LAB_COMMANDS: Record<string, LabCommand> = { info };
