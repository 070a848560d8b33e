import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { preview, type Plugin, type PreviewServer } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');

export interface LabServer {
  readonly url: string;
  /** Makes a local file fetchable by the page at the returned path (only files named here are served). */
  offer(path: string): string;
  /** Files the page uploaded to `/__lab/output/<name>` land in this folder. */
  setOutputDir(dir: string): void;
  readonly uploaded: string[];
  close(): Promise<void>;
}

/**
 * Serves the built app (with the same COOP/COEP headers as `npm run preview`) on 127.0.0.1 plus two
 * routes for the `lab` page: GET `/__lab/input/<n>` (a file named on the command line) and
 * POST `/__lab/output/<name>` (a file the worker produced, e.g. an export).
 */
export async function startLabServer(): Promise<LabServer> {
  if (!existsSync(join(DIST, 'lab.html'))) {
    throw new Error('The app is not built (dist/lab.html is missing). Run `npm run build` first.');
  }
  const inputs: string[] = [];
  const uploaded: string[] = [];
  let outputDir: string | null = null;
  const routes: Plugin = {
    name: 'lab-routes',
    configurePreviewServer(server) {
      server.middlewares.use('/__lab/input/', (req, res) => {
        const file = inputs[Number((req.url ?? '').replace(/^\//, ''))];
        if (!file) return void res.writeHead(404).end('unknown input');
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': statSync(file).size });
        createReadStream(file).pipe(res);
      });
      server.middlewares.use('/__lab/output/', (req, res) => {
        const name = basename(decodeURIComponent((req.url ?? '').replace(/^\//, '')));
        if (!outputDir || req.method !== 'POST' || !name) return void res.writeHead(400).end('no output folder');
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          mkdirSync(outputDir as string, { recursive: true });
          const target = join(outputDir as string, name);
          writeFileSync(target, Buffer.concat(chunks));
          uploaded.push(target);
          res.writeHead(204).end();
        });
      });
    },
  };
  const server: PreviewServer = await preview({
    root: ROOT,
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    plugins: [routes],
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('The lab server did not report its address.');
  return {
    url,
    offer(path) {
      inputs.push(resolve(path));
      return `/__lab/input/${inputs.length - 1}`;
    },
    setOutputDir(dir) {
      outputDir = resolve(dir);
    },
    uploaded,
    close: () => server.close(),
  };
}
