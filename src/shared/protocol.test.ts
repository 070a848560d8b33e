import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transferablesOf, type Command } from './protocol.ts';

const SHARED = resolve(import.meta.dirname);

/** Type-checks a handler source that imports the real protocol; returns the diagnostics' text. */
function typeCheck(source: string): string[] {
  const dir = mkdtempSync(join(SHARED, '.tmp-protocol-'));
  try {
    const file = join(dir, 'handler.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      lib: ['lib.es2023.d.ts', 'lib.webworker.d.ts'],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const handlerSource = (cases: string[]): string => `
import type { Command } from '../protocol.ts';
import { assertNever } from '../assert-never.ts';
export function handle(c: Command): string {
  switch (c.type) {
    ${cases.map((t) => `case '${t}':`).join('\n    ')}
      return c.type;
    default:
      return assertNever(c);
  }
}
`;

const ALL_COMMANDS: Command['type'][] = [
  'backend/init',
  'backend/loseDevice',
  'dataset/load',
  'dataset/cancel',
  'dataset/edit',
  'dataset/undoEdit',
  'weights/load',
  'augment/preview',
  'train/start',
  'train/stop',
  'predict/image',
  'explain/gradCam',
  'evaluate/misclassified',
  'evaluate/topLosses',
  'lr/find',
  'lr/stop',
  'export/run',
  'weights/export',
  'predict/files',
  'lab/open',
  'train/resume',
  'train/restart',
  'queue/save',
  'storage/forget',
  'lab/export',
  'lab/import',
  'export/pytorch',
  'run/import',
];

describe('protocol', () => {
  it('a handler that covers every command compiles', () => {
    expect(typeCheck(handlerSource(ALL_COMMANDS))).toEqual([]);
  }, 60_000);

  it('a handler that forgets a command does not compile (assertNever)', () => {
    const errors = typeCheck(handlerSource(ALL_COMMANDS.filter((t) => t !== 'train/stop')));
    expect(errors.join('\n')).toMatch(/not assignable to parameter of type 'never'/);
  }, 60_000);

  it('finds ArrayBuffers to transfer, once each', () => {
    const data = new ArrayBuffer(8);
    const command: Command = {
      type: 'dataset/load',
      requestId: 'r1',
      source: {
        kind: 'files',
        name: 'x',
        files: [
          { path: 'a/1.png', data },
          { path: 'a/2.png', data },
        ],
      },
      options: { validationFraction: 0.1, seed: 1, maxUncompressedBytes: 1 },
    };
    expect(transferablesOf(command)).toEqual([data]);
  });
});
