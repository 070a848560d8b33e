import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../shared/types.ts';
import { DatasetSummaryDetails } from './DatasetSummary.tsx';

const summary: DatasetSummary = {
  name: 'fer2013.zip',
  format: 'zip',
  classes: ['angry', 'happy'],
  counts: { train: [1000, 2000], validation: [100, 234], test: [50, 60] },
  validationFromTrain: true,
  skipped: [{ path: 'notes.txt', reason: 'not an image' }],
  sizes: { '48x48': 3444 },
  importMs: 1200,
  bytesHeld: 3444 * 48 * 48,
  warnings: ['Class "disgust" has very few images.'],
  samples: [],
};

describe('dataset summary', () => {
  it('shows the split totals, warnings and skipped files of the loaded dataset', () => {
    const html = renderToString(<DatasetSummaryDetails summary={summary} />).replaceAll('<!-- -->', '');
    expect(html).toContain('data-testid="dataset-summary"');
    for (const total of ['3,000', '334', '110']) expect(html).toContain(total);
    expect(html).toContain('very few images');
    expect(html).toContain('1 file skipped');
  });
});
