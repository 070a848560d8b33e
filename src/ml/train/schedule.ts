import type { LrSchedule } from '../../shared/types.ts';

/**
 * Learning-rate multiplier for a 1-based epoch, applied to every group's base rate; stepped per
 * epoch like PyTorch's StepLR / CosineAnnealingLR(T_max = epochs, eta_min = 0) called once per epoch.
 */
export function learningRateScale(schedule: LrSchedule, epoch: number, totalEpochs: number): number {
  const done = epoch - 1;
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'step':
      return schedule.gamma ** Math.floor(done / Math.max(1, schedule.everyEpochs));
    case 'cosine':
      return 0.5 * (1 + Math.cos((Math.PI * done) / Math.max(1, totalEpochs)));
  }
}
