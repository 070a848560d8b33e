/** Compile-time exhaustiveness: a `switch` over a union that misses a case fails to compile here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
