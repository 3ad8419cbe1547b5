import { createServer, type Server } from 'node:net';

/** Where each server listens (all on loopback). */
export interface StackPorts {
  idp: number;
  ras: number;
  mcp: number;
  bound: number;
}

/** The benchmark's fixed ports: distinct from the demo's 3100/3200/3300 so both can run side by side. */
export const BENCH_PORTS: StackPorts = { idp: 4100, ras: 4200, mcp: 4300, bound: 4400 };

/**
 * Four ports that were free a moment ago (bind port 0, read it, close). The smoke test uses these so that it never
 * collides with a benchmark or demo running on the same machine; the issuers must be known before the apps start,
 * so the apps cannot simply listen on port 0.
 */
export async function freePorts(): Promise<StackPorts> {
  // Hold all four open at once so that no two of them can be the same port.
  const servers = await Promise.all([listenAnywhere(), listenAnywhere(), listenAnywhere(), listenAnywhere()]);
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  const [idp, ras, mcp, bound] = ports;
  if (!idp || !ras || !mcp || !bound) throw new Error('could not find four free ports');
  return { idp, ras, mcp, bound };
}

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => resolve(server));
  });
}
