/** The PyTorch project's template files as the bundler sees them (page and worker builds); the CLI reads them from disk. */
import flake8 from './template/.flake8?raw';
import readme from './template/README.md?raw';
import requirements from './template/requirements.txt?raw';
import ruff from './template/ruff.toml?raw';
import trainPy from './template/train.py?raw';
import type { ProjectTemplates } from './project-files.ts';

/** train.py, requirements.txt, README.md and the linter settings, verbatim. */
export const PROJECT_TEMPLATES: ProjectTemplates = {
  'train.py': trainPy,
  'requirements.txt': requirements,
  'README.md': readme,
  'ruff.toml': ruff,
  '.flake8': flake8,
};
