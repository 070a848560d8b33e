import { describe, expect, test } from 'vitest';
import { appBaseUrl } from './app-base.ts';

describe('appBaseUrl', () => {
  test('a relative base (the build): the folder above the worker chunk, at any depth', () => {
    expect(appBaseUrl('https://host/assets/training.worker-abc.js', './')).toBe('https://host/');
    expect(appBaseUrl('https://host/courses/vision/lab/assets/training.worker-abc.js', './')).toBe('https://host/courses/vision/lab/');
    expect(appBaseUrl('http://127.0.0.1:4173/~teacher/lab/assets/x.js?v=1', './')).toBe('http://127.0.0.1:4173/~teacher/lab/');
  });

  test('an absolute base (the dev server): that path on the worker’s origin', () => {
    expect(appBaseUrl('http://localhost:5173/src/worker/training.worker.ts?worker_file&type=module', '/')).toBe('http://localhost:5173/');
    expect(appBaseUrl('http://localhost:5173/src/worker/training.worker.ts', '/lab/')).toBe('http://localhost:5173/lab/');
  });
});
