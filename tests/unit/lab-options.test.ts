/**
 * The `lab` command line explains itself: every command's --help lists exactly the options its
 * parser accepts, an unknown option names the nearest valid one, and the README's lab section
 * names every option of every command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGIMES } from '../../src/shared/regimes.ts';
import { LAB_COMMANDS } from '../../scripts/lab/commands.ts';
import { COMMON_OPTIONS, commandHelp, parseCommandArgs, parserOptions } from '../../scripts/lab/options.ts';
import { learningRatesFrom } from '../../scripts/lab/train-command.ts';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const labSection = README.slice(
  README.indexOf('## The `lab` command line'),
  README.indexOf('\n## ', README.indexOf('## The `lab` command line') + 5),
);

/** The option names a help text lists ("  --epochs N …", "  -h, --help …"). */
const listed = (help: string): string[] => [...help.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!);

describe.each(Object.entries(LAB_COMMANDS))('lab %s', (name, command) => {
  const table = { ...COMMON_OPTIONS, ...command.options };

  it('--help lists every option the parser accepts, and nothing else', () => {
    const help = commandHelp(command);
    expect(help).toContain(`Usage: npm run lab -- ${command.usage}`);
    expect(listed(help).sort()).toEqual(Object.keys(parserOptions(table)).sort());
    expect(parseCommandArgs(name, ['--help'], table).values.help).toBe(true);
    expect(parseCommandArgs(name, ['-h'], table).values.help).toBe(true);
  });

  it('an unknown option is refused with the nearest valid one', () => {
    const first = Object.keys(command.options)[0] ?? 'verbose';
    const typo = `${first.slice(0, -1)}x`;
    expect(() => parseCommandArgs(name, [`--${typo}`], table)).toThrow(
      new RegExp(`unknown option --${typo} for ${name}: did you mean --${first}\\?`),
    );
  });

  it('the README’s lab section names the command and each of its options', () => {
    expect(labSection).toContain(`\`${command.usage.split(' ')[0]}`);
    for (const option of Object.keys(command.options)) expect(labSection, `--${option}`).toContain(`--${option}`);
  });
});

describe('lab train --lr', () => {
  it('sets blocks over the regime’s rates, and refuses what it cannot use', () => {
    const base = REGIMES.finetune.learningRates;
    expect(learningRatesFrom('layer3=0.002,fc=0.02', base)).toEqual({ ...base, layer3: 0.002, fc: 0.02 });
    expect(learningRatesFrom('backbone=0,fc=0.005', REGIMES.finetune.learningRates)).toEqual(REGIMES.linear.learningRates);
    expect(() => learningRatesFrom('layer9=0.1', base)).toThrow(/--lr takes block=rate pairs/);
    expect(() => learningRatesFrom('fc=-1', base)).toThrow(/"fc=-1"/);
  });
});
