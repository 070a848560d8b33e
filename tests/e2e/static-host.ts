import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

/** A plain static file server (sirv): no COOP/COEP, as GitHub Pages or `python3 -m http.server` serve `dist/`. */
export interface StaticHost {
  /** The app's address: the server's origin plus the path it is served under. */
  readonly url: string;
  /** Every request answered with an error status (4xx/5xx), as `status path`. */
  readonly failures: string[];
  /** Serves another build from now on (a deploy). */
  serve(dir: string): void;
  /** Down: every request's connection is dropped, as when the network is gone. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Serves `dir` under `prefix` (`/` or `/a/b/c/`) on 127.0.0.1; anything outside the prefix is a 404. */
export async function startStaticHost(dir: string, prefix: string): Promise<StaticHost> {
  let files = sirv(dir, { etag: true });
  let down = false;
  const failures: string[] = [];
  const server: Server = createServer((req, res) => {
    if (down) return void req.socket.destroy();
    const path = req.url ?? '/';
    res.on('finish', () => {
      if (res.statusCode >= 400) failures.push(`${res.statusCode} ${path}`);
    });
    if (!path.startsWith(prefix)) return void res.writeHead(404).end('not found');
    req.url = `/${path.slice(prefix.length)}`;
    files(req, res, () => void res.writeHead(404).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    failures,
    serve(next) {
      files = sirv(next, { etag: true });
    },
    setDown(value) {
      down = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
