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

  it('lists per-class counts as a text table, without a Test column when there is no test split, and says it split by subject', () => {
    const ck: DatasetSummary = {
      ...summary,
      name: 'ck.zip',
      classes: ['anger', 'contempt'],
      counts: { train: [40, 12], validation: [8, 4], test: [0, 0] },
      splitBy: { kind: 'subject', groups: 12, validationGroups: 3, validationKeys: ['S011', 'S014', 'S020'] },
    };
    const html = renderToString(<DatasetSummaryDetails summary={ck} />).replaceAll('<!-- -->', '');
    const table = /<table[^>]*data-testid="class-counts".*<\/table>/s.exec(html)?.[0] ?? '';
    expect(table).toContain('<th scope="row">contempt</th><td>12</td><td>4</td></tr>');
    expect(table).not.toContain('Test');
    expect(html).toContain('2 classes (anger, contempt)');
    expect(html).toContain('split by subject: 12 subjects (3 in validation: S011, S014, S020); no subject is on both sides');
    const withTest = renderToString(<DatasetSummaryDetails summary={summary} />);
    expect(/<table.*<\/table>/s.exec(withTest)?.[0]).toContain('>Test</th>');
  });
});
