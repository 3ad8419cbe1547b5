/** A `node:http` server on an ephemeral loopback port, listening before its handler exists (the issuer needs the port). */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server, its origin, and a way to plug the request listener in once built. */
export interface EphemeralServer {
  origin: string;
  handle(listener: RequestListener): void;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, port 0 (never the demo ports). */
export async function listenOnEphemeralPort(): Promise<EphemeralServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    handle: (listener) => {
      server.on('request', listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
