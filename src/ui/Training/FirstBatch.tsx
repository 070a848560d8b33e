import { useEffect, useState } from 'react';
import { useLab } from '../../state/store.ts';
import type { Run } from '../../state/types.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { firstBatchText, knownSecondsPerBatch } from './first-batch.ts';

/** Says what the first batch is doing (the slowest step) and how long it has taken, ticking each second. */
export function FirstBatch({ run }: { run: Run }) {
  const backend = useLab((s) => s.backend.info?.backend ?? null);
  const runs = useLab((s) => s.runs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const { label, detail } = firstBatchText(run, backend, now - run.startedAt, knownSecondsPerBatch(run, Object.values(runs)));
  return <ProgressBar label={label} value={null} detail={detail} />;
}
