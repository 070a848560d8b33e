import { describe, expect, it } from 'vitest';
import { workerErrorMessage } from '../../scripts/lab/lab-session.ts';

describe('the lab CLI’s error text', () => {
  it('keeps the worker’s message and drops Playwright’s prefix and the page’s stack', () => {
    const raw = new Error(
      'page.evaluate: Error: model.pth: this file holds a pickled model class (x.Y); save model.state_dict() instead.\n' +
        '    at http://127.0.0.1:45619/assets/lab-client.js:147:13\n    at LabClient.emit (http://127.0.0.1:45619/assets/lab-client.js:91:42)',
    );
    expect(workerErrorMessage(raw)).toBe('model.pth: this file holds a pickled model class (x.Y); save model.state_dict() instead.');
    expect(workerErrorMessage(new Error('plain'))).toBe('plain');
  });
});
