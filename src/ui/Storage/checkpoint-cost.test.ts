import { describe, expect, it } from 'vitest';
import { checkpointCost } from './checkpoint-cost.ts';

describe('checkpointCost', () => {
  it('before any write: the interval, a full fine-tune checkpoint size and the bytes written per hour', () => {
    const text = checkpointCost({ keep: 'last-and-best', everyMinutes: 2 }, null);
    expect(text).toMatch(/loses at most 2 min 00 s of training/);
    expect(text).toMatch(/about 180 MB; one per run is kept/);
    // 30 checkpoints an hour at 2 minutes.
    expect(text).toMatch(/about 5\.3 GB written per hour/);
  });

  it("after a write: its size, write time, the time training waited and that time's share of the interval", () => {
    const text = checkpointCost(
      { keep: 'last-and-best', everyMinutes: 1 },
      { bytes: 188e6, writeMs: 10_500, blockedMs: 720, midEpoch: true },
    );
    expect(text).toMatch(/loses at most 1 min 00 s of training plus the time a write takes \(10\.5 s the last time\)/);
    expect(text).toMatch(/written while training went on; training waited 720 ms for it \(1\.20 % of its time at this interval\)/);
  });

  it('says what is lost without mid-epoch checkpoints, or without a resumable one at all', () => {
    expect(checkpointCost({ keep: 'last-and-best', everyMinutes: 0 }, null)).toMatch(
      /epoch ends only: a reload or a crash loses the epoch in progress/,
    );
    expect(checkpointCost({ keep: 'best', everyMinutes: 2 }, null)).toMatch(/nothing to resume from/);
  });
});
