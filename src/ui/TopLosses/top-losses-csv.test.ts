import { describe, expect, it } from 'vitest';
import { topLossesCsv } from './top-losses-csv.ts';

const image = { width: 1, height: 1, channels: 1 as const, pixels: Uint8Array.of(0) };

describe('topLossesCsv', () => {
  it('writes one row per image with class names, and quotes paths that need it', () => {
    const csv = topLossesCsv(
      [
        {
          index: 3,
          path: 'test/sad/a,"b".png',
          image,
          trueClass: 1,
          predictedClass: 0,
          probability: 0.9,
          trueProbability: 0.05,
          loss: 2.995732,
          likelyMislabelled: true,
        },
        {
          index: 0,
          path: 'csv:row 7',
          image,
          trueClass: 0,
          predictedClass: 0,
          probability: 0.4,
          trueProbability: 0.4,
          loss: 0.916291,
          likelyMislabelled: false,
        },
      ],
      ['happy', 'sad'],
    );
    expect(csv.split('\n')).toEqual([
      'path,true,predicted,probability,loss,true_probability,likely_mislabelled',
      '"test/sad/a,""b"".png",sad,happy,0.900000,2.995732,0.050000,true',
      'csv:row 7,happy,happy,0.400000,0.916291,0.400000,false',
      '',
    ]);
  });
});
