import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../shared/types.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../state/config-defaults.ts';
import { newRun } from '../../state/slices/runs-slice.ts';
import { MemoryReadout } from './MemoryReadout.tsx';

const run = {
  ...newRun('r', 2, DEFAULT_TRAIN_CONFIG, 0),
  epochs: [{ epoch: 1 }, { epoch: 2 }] as EpochMetrics[],
  memory: { numTensors: 1234, numBytes: 95 * 1024 * 1024 },
};
const render = (node: ReactElement) => renderToString(node).replaceAll('<!-- -->', '');

describe('memory readout', () => {
  it('shows the tensors and bytes after the latest epoch, as GPU tensors only on a GPU backend', () => {
    expect(render(<MemoryReadout run={run} backend="webgpu" />)).toContain('GPU tensors: 1,234 (95 MB) after epoch 2 of Run 2');
    const wasm = render(<MemoryReadout run={run} backend="wasm" />);
    expect(wasm).toContain('Tensors: 1,234 (95 MB)');
    expect(wasm).not.toContain('GPU');
  });

  it('shows nothing before the first epoch', () => {
    expect(render(<MemoryReadout run={{ ...run, epochs: [], memory: null }} backend="webgpu" />)).toBe('');
  });
});
