/**
 * Every `lab` command's options as one table each: what the parser accepts and what `--help` prints
 * are made from the same entries, so the two cannot drift (scripts/lab/options.test.ts checks it).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option: how it parses and how `--help` explains it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One line of meaning. */
  readonly description: string;
  /** The value's placeholder in the help ("N", "DIR", "linear|finetune|…"). */
  readonly value?: string;
  /** A default the parser fills in (strings only). */
  readonly default?: string;
  /** What happens without the option, when the code decides it (shown in the help as the default). */
  readonly fallback?: string;
  readonly multiple?: boolean;
  readonly short?: string;
}

/** A command's options by name (without the leading dashes). */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** Options every command takes. */
export const COMMON_OPTIONS: OptionTable = {
  backend: {
    type: 'string',
    value: 'webgpu|wasm|webgl|cpu',
    default: 'auto',
    description: 'force a TensorFlow.js backend (auto: the worker chooses)',
  },
  verbose: { type: 'boolean', description: "echo the page's console to stderr" },
  help: { type: 'boolean', short: 'h', description: 'print this help and exit' },
};

/** The parser's view of a table. */
export function parserOptions(table: OptionTable): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(table).map(([name, o]) => [
      name,
      {
        type: o.type,
        ...(o.default !== undefined ? { default: o.default } : {}),
        ...(o.multiple ? { multiple: true } : {}),
        ...(o.short ? { short: o.short } : {}),
      },
    ]),
  );
}

/** The help's lines for a table: "  --epochs N              epochs to train (default 10)". */
export function optionLines(table: OptionTable): string[] {
  const left = Object.entries(table).map(([name, o]) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.min(40, Math.max(...left.map((l) => l.length)) + 2);
  return Object.values(table).map((o, i) => {
    const shown = o.default ?? o.fallback;
    const extra = [o.multiple ? 'repeatable' : '', shown !== undefined ? `default ${shown}` : ''].filter(Boolean).join('; ');
    const l = left[i]!;
    return `  ${l.padEnd(width)}${l.length >= width ? `\n  ${' '.repeat(width)}` : ''}${o.description}${extra ? ` (${extra})` : ''}`;
  });
}

/** `npm run lab -- train --help`: the synopsis, what the command does, and every option with its default. */
export function commandHelp(command: { readonly usage: string; readonly summary: string; readonly options: OptionTable }): string {
  const own = Object.keys(command.options).length > 0 ? `\nOptions:\n${optionLines(command.options).join('\n')}\n` : '';
  return `Usage: npm run lab -- ${command.usage} [options]\n\n${command.summary}\n${own}\nOptions every command takes:\n${optionLines(COMMON_OPTIONS).join('\n')}\n`;
}

/** Edit distance between two option names, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The valid option nearest to `name` (a prefix of it, or within a few edits), or null. */
export function nearestOption(name: string, table: OptionTable): string | null {
  let best: { name: string; d: number } | null = null;
  for (const candidate of Object.keys(table)) {
    const d = candidate.startsWith(name) || name.startsWith(candidate) ? 0.5 : distance(name, candidate);
    if (!best || d < best.d) best = { name: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : null;
}

/**
 * Parses `args` against `table`; an unknown option or a missing value is an error that names the
 * nearest valid option and points at `--help`.
 */
export function parseCommandArgs(command: string, args: readonly string[], table: OptionTable) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options: parserOptions(table) });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const help = `npm run lab -- ${command} --help lists every option`;
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'(-{1,2}[^'=]+)/.exec(e.message ?? '')?.[1]?.replace(/^-+/, '') ?? '';
      const near = nearestOption(name, table);
      throw new Error(`unknown option --${name} for ${command}${near ? `: did you mean --${near}?` : ''} (${help})`);
    }
    throw new Error(`${e.message ?? String(err)} (${help})`);
  }
}
