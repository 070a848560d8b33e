/**
 * The app's base URL (the folder of its pages), from inside a worker chunk, for files the app serves
 * beside itself (tfjs-wasm's binaries, a local copy of the pretrained model).
 *
 * The build's base is relative (`base: './'` in vite.config.ts, so `dist/` works under any path) and
 * puts every worker chunk in the app's `assets/` folder: the app is one folder above the chunk. The
 * dev server serves the app at an absolute base.
 */
export function appBaseUrl(workerUrl: string, base: string = import.meta.env.BASE_URL): string {
  return base.startsWith('/') ? new URL(base, workerUrl).href : new URL(`../${base}`, workerUrl).href;
}
