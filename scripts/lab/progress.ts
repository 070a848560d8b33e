/**
 * What a `lab` command is doing, on stderr, so that it is never silent: a progress bar with an ETA
 * (cli-progress) when stderr is a terminal; otherwise a plain line when a new kind of work starts,
 * and at least every 10 s while it goes on (count, elapsed time, time left). Stdout stays clean JSON lines.
 * The activity comes from the worker's events (see activityOf) and from the command in flight.
 */
import { SingleBar } from 'cli-progress';

/** What is going on now: "epoch 1/3 · batch 5/449" with a count, or "starting Chromium". */
export interface Activity {
  readonly label: string;
  readonly done?: number;
  readonly total?: number;
  /** What the count counts ("batches", "images", "MB"), for the plain line. */
  readonly unit?: string;
  /** Said once beside the label while it lasts: "the first batch compiles every kernel". */
  readonly note?: string;
}

export interface Progress {
  set(activity: Activity): void;
  /** A line of text (the bar is cleared first and drawn again after it). */
  say(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly tty: boolean;
  readonly write: (text: string) => void;
  readonly heartbeatMs?: number;
  readonly minLineMs?: number;
  readonly now?: () => number;
}

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Seconds left at the rate since `startDone` was reached at `startMs`; null before a rate is known. */
export function etaSeconds(activity: Activity, since: { readonly ms: number; readonly done: number }, nowMs: number): number | null {
  const { done, total } = activity;
  if (done === undefined || total === undefined || done <= since.done || nowMs <= since.ms) return null;
  const rate = (done - since.done) / (nowMs - since.ms);
  return (total - done) / rate / 1000;
}

/** The plain line for an activity: "epoch 1/3 · batch 5/449 (1%), 2 min 10 s elapsed, about 14 min left". */
export function plainLine(activity: Activity, elapsedS: number, eta: number | null): string {
  const count =
    activity.done !== undefined && activity.total !== undefined
      ? ` ${activity.done}/${activity.total}${activity.unit ? ` ${activity.unit}` : ''} (${Math.floor((100 * activity.done) / Math.max(1, activity.total))}%)`
      : '';
  const left = eta === null ? '' : `, about ${formatSeconds(eta)} left`;
  const note = activity.note ? ` (${activity.note})` : '';
  // Just begun: what it is, not "0 s so far".
  if (elapsedS < 1 && eta === null) return `${activity.label}${count}${note}…`;
  return `${activity.label}${count}${note}: ${formatSeconds(elapsedS)} so far${left}`;
}

export function createProgress(options: ProgressOptions): Progress {
  const heartbeatMs = options.heartbeatMs ?? 8_500;
  const minLineMs = options.minLineMs ?? 8_500;
  const now = options.now ?? (() => performance.now());
  let activity: Activity | null = null;
  let startedMs = now();
  let since = { ms: startedMs, done: 0 };
  let lastLineMs = -Infinity;
  let lastLabel = '';
  const bar = options.tty
    ? new SingleBar({
        format: '{label} [{bar}] {count} {eta}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        stream: { write: (t: string) => options.write(t), isTTY: true } as unknown as NodeJS.WritableStream,
      })
    : null;
  let barStarted = false;

  const line = (force: boolean): void => {
    if (!activity) return;
    const t = now();
    if (!force && t - lastLineMs < minLineMs) return;
    lastLineMs = t;
    options.write(`${plainLine(activity, (t - startedMs) / 1000, etaSeconds(activity, since, t))}\n`);
  };
  const draw = (): void => {
    if (!bar || !activity) return;
    const eta = etaSeconds(activity, since, now());
    const payload = {
      label: activity.label + (activity.note ? ` (${activity.note})` : ''),
      count: activity.total !== undefined ? `${activity.done ?? 0}/${activity.total}${activity.unit ? ` ${activity.unit}` : ''}` : '',
      eta: eta === null ? `${formatSeconds((now() - startedMs) / 1000)}` : `ETA ${formatSeconds(eta)}`,
    };
    const total = Math.max(1, activity.total ?? 1);
    if (!barStarted) {
      bar.start(total, activity.done ?? 0, payload);
      barStarted = true;
    } else {
      bar.setTotal(total);
      bar.update(activity.done ?? 0, payload);
    }
  };
  const timer = setInterval(() => {
    if (bar) draw();
    else if (now() - lastLineMs >= heartbeatMs) line(true);
  }, 500);
  timer.unref();

  return {
    set(next) {
      if (next.label !== lastLabel) {
        // A new kind of work: its clock and its rate start now.
        startedMs = now();
        since = { ms: startedMs, done: next.done ?? 0 };
        lastLabel = next.label;
        activity = next;
        if (bar) draw();
        else line(true);
        return;
      }
      activity = next;
      if (bar) draw();
      else line(false);
    },
    say(text) {
      if (bar && barStarted) {
        bar.stop();
        barStarted = false;
      }
      options.write(`${text}\n`);
      lastLineMs = now();
      if (bar) draw();
    },
    stop() {
      clearInterval(timer);
      if (bar && barStarted) bar.stop();
      barStarted = false;
      activity = null;
    },
  };
}
