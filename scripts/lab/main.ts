/**
 * `npm run lab -- <command> [options]`: runs Expression Lab's own worker in headless Chromium.
 * JSON on stdout (one object per line for streams), human text on stderr, non-zero exit on error.
 * `npm run lab -- <command> --help` explains a command's every option (scripts/lab/options.ts).
 */
import { BACKEND_NAMES, type BackendName } from '../../src/shared/types.ts';
import { LAB_COMMANDS, type LabCommandContext } from './commands.ts';
import { createProgress } from './progress.ts';
import { COMMON_OPTIONS, commandHelp, optionLines, parseCommandArgs } from './options.ts';

const USAGE = `Usage: npm run lab -- <command> [options]

Commands:
${Object.entries(LAB_COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

Options every command takes:
${optionLines(COMMON_OPTIONS).join('\n')}

npm run lab -- <command> --help explains a command's own options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stderr.write(USAGE);
    return name ? 0 : 2;
  }
  const command = LAB_COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parseCommandArgs(name, rest, { ...COMMON_OPTIONS, ...command.options });
  if (values.help === true) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const backend = values.backend as string;
  if (backend !== 'auto' && !BACKEND_NAMES.includes(backend as BackendName)) {
    throw new Error(`--backend must be one of ${BACKEND_NAMES.join(', ')} (got "${backend}")`);
  }
  const progress = createProgress({ tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) });
  const context: LabCommandContext = {
    backend: backend as BackendName | 'auto',
    verbose: values.verbose === true,
    values: values as Record<string, string | boolean | undefined>,
    positionals,
    print: (object) => process.stdout.write(`${JSON.stringify(object)}\n`),
    say: (text) => progress.say(text),
    progress,
  };
  try {
    await command.run(context);
  } finally {
    progress.stop();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
