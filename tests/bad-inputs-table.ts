/**
 * The README's table of bad inputs ("## When input is bad"), read back by the tests that produce
 * its messages: each test compares the message its case really gives with the row's, so the
 * table cannot drift from the code. A row belongs to every test file named in its Test cell.
 * With BAD_INPUTS_DUMP=<file>, each check also appends its file's input → message pairs to <file>
 * as a JSON line, to write new rows from.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One row of the table. `message` is '' where the Message cell is "—" (the input simply works). */
export interface BadInputRow {
  readonly input: string;
  readonly does: string;
  readonly message: string;
  readonly tests: readonly string[];
}

const README = join(fileURLToPath(new URL('..', import.meta.url)), 'README.md');
const SECTION = '## When input is bad';

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\(.)/g, '$1'));
}

/** Every row of the README's table of bad inputs, in order. Throws when the section or its table is missing. */
export function badInputsTable(readme = readFileSync(README, 'utf8')): BadInputRow[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const lines = readme.slice(start, end < 0 ? undefined : end).split('\n');
  const table = lines.filter((line) => line.startsWith('|'));
  if (table.length < 3) throw new Error(`the "${SECTION}" section of README.md has no table`);
  return table.slice(2).map((line) => {
    const [input = '', does = '', message = '', test = ''] = cells(line);
    return {
      input,
      does,
      message: message === '—' ? '' : message,
      tests: test === '—' ? [] : test.split(',').map((t) => t.trim().replace(/^`|`$/g, '')),
    };
  });
}

/** The rows a test file owns, by its path from the repository root (e.g. `src/worker/bad-inputs.test.ts`). */
export function badInputRowsOf(testFile: string): BadInputRow[] {
  return badInputsTable().filter((row) => row.tests.includes(testFile));
}

/**
 * Compares the messages a test file's cases gave (input → message) with its rows in the README.
 * Returns one line per difference (empty when they agree): a row without a case, a case without a
 * row, or a message that differs, with the row as it should read, ready to paste.
 */
export function differencesFromReadme(testFile: string, messages: ReadonlyMap<string, string>): string[] {
  if (process.env.BAD_INPUTS_DUMP)
    appendFileSync(process.env.BAD_INPUTS_DUMP, JSON.stringify({ testFile, messages: [...messages] }) + '\n');
  const rows = badInputRowsOf(testFile);
  const differences: string[] = [];
  for (const row of rows) {
    const actual = messages.get(row.input);
    if (actual === undefined) differences.push(`README row "${row.input}" names ${testFile}, which has no case of that name`);
    else if (actual !== row.message)
      differences.push(`README row "${row.input}": the code says\n  ${actual || '—'}\nthe README says\n  ${row.message || '—'}`);
  }
  for (const input of messages.keys()) {
    if (!rows.some((row) => row.input === input))
      differences.push(`case "${input}" of ${testFile} has no row in README's "${SECTION}" table`);
  }
  return differences;
}
