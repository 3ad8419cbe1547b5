/** A local HTTPS server (test CA) whose routes a test scripts: status, headers, body, delay. */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './test-ca.js';

/** What a route answers. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
}

/** The server, its origin, and the routes to script. */
export interface DocumentServer {
  origin: string;
  routes: Map<string, ScriptedResponse | ((origin: string) => ScriptedResponse)>;
  requests: string[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startDocumentServer(certificates: TestCertificates): Promise<DocumentServer> {
  const routes: DocumentServer['routes'] = new Map();
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer(
    { cert: certificates.serverCert, key: certificates.serverKey },
    (request, response) => {
      requests.push(request.url ?? '');
      const route = routes.get(request.url ?? '');
      const scripted = typeof route === 'function' ? route(origin) : route;
      if (scripted === undefined) {
        response.writeHead(404).end();
        return;
      }
      const answer = () => {
        response.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
        response.end(scripted.body ?? '');
      };
      if (scripted.delayMs === undefined) answer();
      else setTimeout(answer, scripted.delayMs).unref();
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    routes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
