import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import { projectConfig, projectSplit, type ProjectDataset } from './project-data.ts';
import { fillBlanks, projectFiles, TEMPLATE_NAMES, type ProjectTemplates } from './project-files.ts';

const dataset: ProjectDataset = {
  name: 'faces.zip',
  format: 'zip',
  classes: ['happy', 'sad'],
  splits: {
    train: [
      { path: 'train/happy/a.png', classIndex: 0 },
      { path: 'train/sad/b.png', classIndex: 1 },
    ],
    validation: [{ path: 'train/sad/c.png', classIndex: 1 }],
    test: [],
  },
};

const templates = Object.fromEntries(
  TEMPLATE_NAMES.map((name) => [name, readFileSync(join(import.meta.dirname, 'template', name), 'utf8')]),
) as unknown as ProjectTemplates;

describe('PyTorch project files', () => {
  it('write the split as the lab holds it and the config verbatim', () => {
    expect(projectSplit(dataset)).toEqual({
      classes: ['happy', 'sad'],
      train: [
        ['train/happy/a.png', 0],
        ['train/sad/b.png', 1],
      ],
      validation: [['train/sad/c.png', 1]],
      test: [],
    });
    const config = projectConfig(DEFAULT_TRAIN_CONFIG, dataset, { use: 'random', label: 'random' }, null);
    expect(config.train).toBe(DEFAULT_TRAIN_CONFIG);
    expect(() => projectConfig(DEFAULT_TRAIN_CONFIG, { ...dataset, format: 'demo' }, { use: 'random', label: '' }, null)).toThrow(
      /demo dataset/,
    );
  });

  it('fill every README blank and copy train.py unchanged', () => {
    const config = projectConfig(DEFAULT_TRAIN_CONFIG, dataset, { use: 'imagenet', label: 'ImageNet weights' }, 'run-1');
    const files = projectFiles(templates, [{ name: 'config.json', text: JSON.stringify(config) }]);
    expect(files.map((f) => f.name)).toEqual(['train.py', 'requirements.txt', 'README.md', 'ruff.toml', '.flake8', 'config.json']);
    const readme = files.find((f) => f.name === 'README.md')?.text ?? '';
    expect(readme).not.toMatch(/\{\{/);
    expect(readme).toContain('python3 train.py --data faces.zip --nproc 4');
    expect(readme).toContain('Starting weights: ImageNet weights.');
    expect(files[0]?.text).toBe(templates['train.py']);
    expect(() => fillBlanks('{{nope}}', {})).toThrow(/blank \{\{nope\}\}/);
  });
});
