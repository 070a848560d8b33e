/** The engine variants every CPU kernel is tested on: 1, 2 and 3 threads, with and without FMA. */
export const TEST_VARIANTS: readonly { readonly threads: number; readonly fma: boolean; readonly name: string }[] = [1, 2, 3].flatMap(
  (threads) => [false, true].map((fma) => ({ threads, fma, name: `${threads} thread${threads === 1 ? '' : 's'}${fma ? ', FMA' : ''}` })),
);
