/**
 * `npm run lab -- <command> [options]`: runs Expression Lab's own worker in headless Chromium.
 * JSON on stdout (one object per line for streams), human text on stderr, non-zero exit on error.
 */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../../src/shared/types.ts';
import { LAB_COMMANDS, type LabCommandContext } from './commands.ts';

const USAGE = `Usage: npm run lab -- <command> [options]

Commands:
${Object.entries(LAB_COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

Common options:
  --backend webgpu|wasm|webgl|cpu   force a TensorFlow.js backend (default: automatic choice)
  --verbose                         echo the page's console to stderr
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
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { backend: { type: 'string', default: 'auto' }, verbose: { type: 'boolean', default: false }, ...command.options },
  });
  const backend = values.backend as string;
  if (backend !== 'auto' && !BACKEND_NAMES.includes(backend as BackendName)) {
    throw new Error(`--backend must be one of ${BACKEND_NAMES.join(', ')} (got "${backend}")`);
  }
  const context: LabCommandContext = {
    backend: backend as BackendName | 'auto',
    verbose: values.verbose === true,
    values: values as Record<string, string | boolean | undefined>,
    positionals,
    print: (object) => process.stdout.write(`${JSON.stringify(object)}\n`),
    say: (text) => process.stderr.write(`${text}\n`),
  };
  await command.run(context);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
