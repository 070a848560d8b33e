import { describe, expect, it } from 'vitest';
import { differencesFromReadme } from '../../tests/bad-inputs-table.ts';
import { CHECKPOINT_EVICTED, gpuDeviceLost, heldByAnotherTab, isGpuDeviceLoss } from './fault-messages.ts';

describe('faults of the browser environment', () => {
  it('tells a lost GPU device from other worker failures', () => {
    expect(isGpuDeviceLoss(gpuDeviceLost('Device was destroyed.'))).toBe(true);
    expect(isGpuDeviceLoss('The training worker crashed: out of memory')).toBe(false);
    expect(isGpuDeviceLoss(null)).toBe(false);
  });

  it('says what the other tab trains, when it trains', () => {
    expect(heldByAnotherTab(null)).toMatch(/^Expression Lab is open in another tab\. This tab shows/);
  });

  it("README's table of bad inputs quotes each of these messages as the code gives it", () => {
    const messages = new Map([
      ['storage evicted by the browser between sessions', CHECKPOINT_EVICTED],
      ['two tabs of the lab open at once', heldByAnotherTab('Run 1 · Linear probe')],
      // What SwiftShader's device.destroy() gives as the reason (tests/e2e/device-lost.test.ts).
      ['WebGPU device lost mid-run', gpuDeviceLost('Device was destroyed.')],
    ]);
    expect(differencesFromReadme('src/shared/fault-messages.test.ts', messages)).toEqual([]);
  });
});
