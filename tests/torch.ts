/**
 * Debian's PyTorch (python3-torch, python3-torchvision) for tests that need files torch.save
 * writes, or PyTorch's own numbers. Those files are written in the test's setup by
 * scripts/golden/make_pth_files.py, never committed. Without torch such a test is reported as
 * skipped with the reason; where test inputs are required (CI: EXPRESSION_LAB_REQUIRE_DATASETS=1)
 * it fails instead, so a skip never turns CI green.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS_REQUIRED } from './datasets.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian's interpreter, which has torch and torchvision (pyenv's or a venv's usually do not). */
export const PYTHON = '/usr/bin/python3';

let missing: string | undefined | null = null;

/** Why PyTorch cannot be used here, or undefined when torch and torchvision import. */
export function torchMissing(): string | undefined {
  if (missing !== null) return missing;
  try {
    execFileSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 120_000 });
    missing = undefined;
  } catch {
    missing = `${PYTHON} cannot import torch and torchvision: install them (Debian: apt-get install python3-torch python3-torchvision)`;
    if (DATASETS_REQUIRED) throw new Error(`EXPRESSION_LAB_REQUIRE_DATASETS=1 but ${missing}`);
  }
  return missing;
}

/**
 * Runs scripts/golden/make_pth_files.py: `tiny` or `resnet` files into `out` (see its docstring);
 * with `pixels` (resnet), returns its stdout (PyTorch's logits as JSON).
 */
export function makePthFiles(set: 'tiny' | 'resnet', out: string, pixels?: string): string {
  const args = [join(REPO, 'scripts', 'golden', 'make_pth_files.py'), set, out, ...(pixels ? ['--pixels', pixels] : [])];
  return execFileSync(PYTHON, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 16 << 20 });
}
