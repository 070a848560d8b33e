import { describe, expect, test } from 'vitest';
import { describeIsolation } from './isolation-description.ts';

describe('describeIsolation', () => {
  test('names what turned threads on, or says single thread and why', () => {
    expect(describeIsolation({ by: 'server' })).toMatch(/^Threads on: the server’s COOP\/COEP headers/);
    expect(describeIsolation({ by: 'service-worker' })).toMatch(/^Threads on: .*service worker adds them/);
    expect(describeIsolation({ by: 'none', reason: 'no service worker in a private window' })).toBe(
      'Single thread: this page is not cross-origin isolated (no service worker in a private window).',
    );
    expect(describeIsolation(null)).toMatch(/checking/);
  });
});
