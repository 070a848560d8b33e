/** The page side of scripts/browser-bench/run-page.ts (no Node imports: this runs in Chromium). */

/** Leaves `run`'s result, or its error message, on `window.benchResult` for runBenchPage. */
export function reportToBench(run: () => Promise<unknown>): void {
  const target = window as { benchResult?: unknown };
  run().then(
    (result) => {
      target.benchResult = result;
    },
    (err: unknown) => {
      target.benchResult = { error: err instanceof Error ? err.message : String(err) };
    },
  );
}
