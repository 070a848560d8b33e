/**
 * Assembles an exported PyTorch project from the template files (read by the page through Vite's
 * `?raw`, by the CLI from disk) and the worker's config.json and split.json. Only the README has
 * blanks to fill; train.py is copied as it is and reads its settings from config.json.
 */
import { ratesSummary, runRegimeName } from '../shared/run-naming.ts';
import type { TrainConfig } from '../shared/types.ts';

/** The template folder's files, by name. */
export interface ProjectTemplates {
  readonly 'train.py': string;
  readonly 'requirements.txt': string;
  readonly 'README.md': string;
  /** Linter settings (line length 120), so `ruff check` and `flake8` pass in the project folder. */
  readonly 'ruff.toml': string;
  readonly '.flake8': string;
}

/** The template file names, in the order they are written. */
export const TEMPLATE_NAMES: readonly (keyof ProjectTemplates)[] = ['train.py', 'requirements.txt', 'README.md', 'ruff.toml', '.flake8'];

/** A text file of the project. */
export interface ProjectFile {
  readonly name: string;
  readonly text: string;
}

/** The settings the README quotes, from config.json. */
interface ReadmeFacts {
  readonly dataset: { readonly name: string };
  readonly startingWeights: { readonly label: string };
  readonly train: TrainConfig;
}

/** Fills `{{name}}` blanks; a blank with no value is an error, so a template typo cannot ship. */
export function fillBlanks(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the PyTorch project template has a blank {{${name}}} with no value`);
    return value;
  });
}

/** Every file of the project: templates (README filled in) plus the worker's data files. */
export function projectFiles(templates: ProjectTemplates, data: readonly ProjectFile[]): ProjectFile[] {
  const config = data.find((f) => f.name === 'config.json');
  if (!config) throw new Error('the worker sent no config.json for the PyTorch project');
  const facts = JSON.parse(config.text) as ReadmeFacts;
  const train = facts.train;
  const readme = fillBlanks(templates['README.md'], {
    title: `${runRegimeName(train).label} on ${facts.dataset.name}, in PyTorch`,
    dataset: facts.dataset.name,
    regime: runRegimeName(train).label,
    summary: `learning rates ${ratesSummary(train.learningRates)}; batch ${train.batchSize}, ${train.epochs} epoch${train.epochs === 1 ? '' : 's'}, ${train.inputSize} px, seed ${train.seed}`,
    weights: facts.startingWeights.label,
    batch: String(train.batchSize),
    inputSize: String(train.inputSize),
  });
  return [
    { name: 'train.py', text: templates['train.py'] },
    { name: 'requirements.txt', text: templates['requirements.txt'] },
    { name: 'README.md', text: readme },
    { name: 'ruff.toml', text: templates['ruff.toml'] },
    { name: '.flake8', text: templates['.flake8'] },
    ...data,
  ];
}
