import { useEffect, useState } from 'react';
import { useLab } from '../../state/store.ts';
import type { Run } from '../../state/types.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { expectedFirstBatchSeconds, stepKindOf } from '../../shared/first-batch-time.ts';
import { firstBatchText, knownSecondsPerBatch } from './first-batch.ts';

/** Says what the first batch is doing (the slowest step) and how long it has taken, ticking each second. */
export function FirstBatch({ run }: { run: Run }) {
  const info = useLab((s) => s.backend.info);
  const backend = info?.backend ?? null;
  const runs = useLab((s) => s.runs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const expected = info ? expectedFirstBatchSeconds(info, run.config, stepKindOf(run.config)) : null;
  const { label, detail } = firstBatchText(run, backend, now - run.startedAt, knownSecondsPerBatch(run, Object.values(runs)), expected);
  return <ProgressBar label={label} value={null} detail={detail} />;
}
