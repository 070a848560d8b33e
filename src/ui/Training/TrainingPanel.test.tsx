import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LabContext, type LabHandle } from '../common/lab-context.ts';
import { TrainingPanel } from './TrainingPanel.tsx';

describe('training panel', () => {
  it('offers no Start or "Run all" before a dataset and weights are loaded, and says what to load', () => {
    // Server rendering reads the store's initial state: nothing loaded.
    const html = renderToString(
      <LabContext.Provider value={{} as LabHandle}>
        <TrainingPanel />
      </LabContext.Provider>,
    ).replaceAll('<!-- -->', '');
    expect(html).toMatch(/<button[^>]*data-testid="start"[^>]*disabled=""/);
    expect(html).toMatch(/<button[^>]*data-testid="run-all"[^>]*disabled=""/);
    expect(html).toContain('Load a dataset and weights to start training.');
  });
});
