/**
 * Where tests find the real FER2013 files (never committed): the one setting is the environment
 * variable EXPRESSION_LAB_DATASETS, a folder holding fer2013.zip, fer2013-mini.zip and
 * fer2013-mini.csv; it defaults to ../shared/datasets beside the repository.
 *
 * A test that needs a file which is not there is reported as skipped, with the reason and how to
 * get the data, so a fresh clone passes. CI sets EXPRESSION_LAB_REQUIRE_DATASETS=1: then a missing
 * file fails the test instead, so a skip can never turn CI green.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder the real datasets are read from. */
export const DATASETS_DIR = resolve(process.env.EXPRESSION_LAB_DATASETS ?? join(REPO, '..', 'shared', 'datasets'));

/** True when missing datasets must fail the tests that need them (CI). */
export const DATASETS_REQUIRED = process.env.EXPRESSION_LAB_REQUIRE_DATASETS === '1';

/** The real dataset files tests use. */
export type DatasetFile = 'fer2013.zip' | 'fer2013-mini.zip' | 'fer2013-mini.csv';

/** Absolute path of a real dataset file (which may not exist; see `missingDataset`). */
export function datasetPath(file: DatasetFile): string {
  return join(DATASETS_DIR, file);
}

/**
 * Why a test needing `files` cannot run here, or undefined when all are present. With
 * EXPRESSION_LAB_REQUIRE_DATASETS=1 this throws instead, failing the test file loudly.
 */
export function missingDataset(...files: DatasetFile[]): string | undefined {
  const missing = files.filter((file) => !existsSync(datasetPath(file)));
  if (missing.length === 0) return undefined;
  const reason =
    `needs ${missing.join(', ')}, not found in ${DATASETS_DIR}. Put the FER2013 files there ` +
    '(fer2013.zip: Kaggle "FER2013" images in train/ and test/ class folders; fer2013-mini.* are its 60+15-per-class subset) ' +
    'or set EXPRESSION_LAB_DATASETS to the folder that holds them.';
  if (DATASETS_REQUIRED) throw new Error(`EXPRESSION_LAB_REQUIRE_DATASETS=1 but a test ${reason}`);
  return reason;
}
