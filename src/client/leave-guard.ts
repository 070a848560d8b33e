/**
 * Asks before the page goes away while work would be lost: a run training (its unfinished epoch)
 * or an export being prepared. Finished epochs are saved either way.
 */
import { selectIsTraining } from '../state/selectors.ts';
import type { LabStore } from '../state/store.ts';

let exportsInFlight = 0;

/** Marks an export in progress until the returned function is called. */
export function holdForExport(): () => void {
  exportsInFlight += 1;
  let released = false;
  return () => {
    if (!released) exportsInFlight -= 1;
    released = true;
  };
}

/** Whether leaving now would lose work. */
export function leavingLosesWork(store: LabStore): boolean {
  return selectIsTraining(store.getState()) || exportsInFlight > 0;
}

/** Installs the `beforeunload` prompt. */
export function installLeaveGuard(store: LabStore, target: Pick<Window, 'addEventListener'> = window): void {
  target.addEventListener('beforeunload', (event) => {
    if (!leavingLosesWork(store)) return;
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = '';
  });
}
