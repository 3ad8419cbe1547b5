import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** A response read to the end. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request to send; `body` is sent as is with its `content-length`. */
export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A keep-alive HTTP/1.1 client over one connection pool (the benchmark's own traffic is plain http on loopback). */
export interface HttpClient {
  send(url: string | URL, init?: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/**
 * Creates a client on `node:http` with a keep-alive agent: cheaper per request than `fetch`, which matters when the
 * client shares two cores with the servers it measures.
 */
export function createHttpClient(options: { maxSockets?: number; timeoutMs?: number } = {}): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    send(url, init = {}) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { ...init.headers };
        if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
        const req = request(url, { method: init.method ?? 'GET', headers, agent, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        });
        req.on('timeout', () => req.destroy(new Error(`request to ${String(url)} timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(init.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
