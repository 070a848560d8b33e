/**
 * Vite plugin: names the build in its pages (`<meta name="expression-lab-build">`), so that whoever
 * hosts `dist/` can see which build a browser runs (view the page source) and a test can tell two
 * builds apart. The name is EXPRESSION_LAB_BUILD_ID when set, else the git commit (with `-dirty` for
 * uncommitted changes), else `unknown`. A new name changes index.html, hence the service worker's
 * precache manifest, so browsers install the new build on their next visit.
 */
import { execFileSync } from 'node:child_process';
import type { Plugin } from 'vite';

export const BUILD_ID_META = 'expression-lab-build';

function gitBuildId(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function buildIdPlugin(): Plugin {
  let id = 'dev';
  return {
    name: 'expression-lab-build-id',
    configResolved(config) {
      if (config.command === 'build') id = process.env.EXPRESSION_LAB_BUILD_ID ?? gitBuildId();
    },
    transformIndexHtml: () => [{ tag: 'meta', attrs: { name: BUILD_ID_META, content: id }, injectTo: 'head' }],
  };
}
