// Loopback HTTP server for the download tests: serves files under /<fault>/<name> with injected faults.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type Fault =
  | 'ok'
  | '404'
  | '500-once'
  | 'truncate'
  | 'corrupt'
  | 'reset'
  | 'stall-body'
  | 'stall-headers'
  // never idle long enough for the idle timeout: one byte every DRIP_MS
  | 'drip'
  // a chunked body that never ends
  | 'endless'
  // promises a terabyte in Content-Length
  | 'huge-length';

export const DRIP_MS = 50;

export interface TestServer {
  url(fault: Fault): string;
  /** Requests per fault since start. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startTestServer(dir: string): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const [, fault = '', name = ''] = (req.url ?? '').split('/');
    hits.set(fault, (hits.get(fault) ?? 0) + 1);
    const file = path.join(dir, path.basename(name));
    if (fault === '404' || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    const headers = { 'content-type': 'application/gzip', 'content-length': String(body.length) };
    switch (fault as Fault) {
      case 'ok':
        res.writeHead(200, headers).end(body);
        return;
      case '500-once':
        if ((hits.get(fault) ?? 0) % 2 === 1) res.writeHead(500).end('try again');
        else res.writeHead(200, headers).end(body);
        return;
      case 'truncate':
        // promises the whole file, sends half, then closes cleanly
        res.writeHead(200, headers);
        res.write(body.subarray(0, body.length >> 1));
        res.socket?.end();
        return;
      case 'corrupt': {
        const bad = Buffer.from(body);
        bad[bad.length >> 1] = (bad[bad.length >> 1] as number) ^ 0xff;
        res.writeHead(200, headers).end(bad);
        return;
      }
      case 'reset':
        res.writeHead(200, headers);
        res.write(body.subarray(0, 1000));
        setTimeout(() => req.socket.resetAndDestroy(), 5);
        return;
      case 'stall-body':
        res.writeHead(200, headers);
        res.write(body.subarray(0, 1000));
        return; // never finishes
      case 'stall-headers':
        return; // never answers
      case 'drip': {
        res.writeHead(200, headers);
        let at = 0;
        const timer = setInterval(() => {
          if (at < body.length) res.write(body.subarray(at, ++at));
        }, DRIP_MS);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        const chunk = Buffer.alloc(1 << 16);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
        };
        res.on('drain', pump);
        pump();
        return;
      }
      case 'huge-length':
        res.writeHead(200, { ...headers, 'content-length': String(1e12) });
        res.write(body.subarray(0, 1000));
        return;
      default:
        res.writeHead(400).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (fault) => `http://127.0.0.1:${port}/${fault}/`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
