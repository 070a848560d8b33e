/** What the checkpoint setting costs, in words: size, write time, the training it holds up, disk writes per hour. */
import type { CheckpointSettings } from '../../shared/types.ts';
import type { CheckpointWrite } from '../../state/types.ts';
import { formatBytes, formatDuration } from '../common/format.ts';

/**
 * What a full fine-tune's resumable checkpoint holds, in bytes: ResNet50 with a 7-class fc has
 * 23.5 M parameters (plus 53 k BN statistics) and one momentum buffer per parameter, float32
 * (188.4 MB measured by `npm run bench:checkpoint`).
 */
const FULL_FINETUNE_BYTES = (2 * 23_522_375 + 53_120) * 4;

const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * The sentence under the interval setting: the newest write's figures when there is one (else the
 * size a full fine-tune's checkpoint has), the share of training time it holds up at this interval,
 * and how much is written per hour (one checkpoint per run is kept, each replacing the last).
 */
export function checkpointCost(settings: CheckpointSettings, last: CheckpointWrite | null): string {
  if (settings.keep !== 'last-and-best')
    return 'Without the last checkpoint there is nothing to resume from: a reload loses the run in progress.';
  if (!(settings.everyMinutes > 0)) return 'Checkpoints are written at epoch ends only: a reload or a crash loses the epoch in progress.';
  const intervalMs = settings.everyMinutes * 60_000;
  const bytes = last?.bytes ?? FULL_FINETUNE_BYTES;
  const perHour = formatBytes((bytes * 3_600_000) / intervalMs);
  const write = last ? ` plus the time a write takes (${seconds(last.writeMs)} the last time)` : ' plus the time a write takes';
  const lose = `A reload or a crash loses at most ${formatDuration(intervalMs)} of training${write}.`;
  if (!last)
    return `${lose} A full fine-tune's checkpoint (weights, BN statistics, momentum) is about ${formatBytes(bytes)}; one per run is kept, each replacing the last: about ${perHour} written per hour of training.`;
  const share = ((100 * last.blockedMs) / intervalMs).toFixed(2);
  return `${lose} The last checkpoint: ${formatBytes(last.bytes)}, written while training went on; training waited ${seconds(last.blockedMs)} for it (${share} % of its time at this interval). One per run is kept, each replacing the last: about ${perHour} written per hour of training.`;
}
