import { connect, createServer, type Server } from 'node:net';
import { StackError } from './errors.js';
import type { ProcessSpec } from './process-spec.js';
import { portOf } from './role-address.js';

/**
 * True when something already accepts connections on the port, on IPv4 or IPv6 loopback: `localhost` may resolve
 * to either, so a server on one of them would answer the health check in place of the process we start.
 */
export async function portInUse(port: number): Promise<boolean> {
  const answers = await Promise.all([accepts('127.0.0.1', port), accepts('::1', port)]);
  return answers.includes(true);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Refuses, before anything starts, when a port of these processes is taken: one `PORT_TAKEN` error naming every
 * process whose port is in use, and where it should have answered.
 */
export async function refuseTakenPorts(processes: readonly ProcessSpec[]): Promise<void> {
  const taken: string[] = [];
  for (const spec of processes) {
    const port = portOf(spec.url);
    if (await portInUse(port)) taken.push(`${spec.title} (${spec.name}) at ${spec.url}, port ${port}`);
  }
  if (taken.length > 0) throw new StackError('PORT_TAKEN', `already in use: ${taken.join('; ')}`);
}

/**
 * `count` distinct ports that were free a moment ago (listen on port 0, read the port, close). For tests and runs
 * that must not collide with anything on the machine; the URLs must be known before the apps start, so the apps
 * cannot simply listen on port 0 themselves.
 */
export async function freePorts(count: number): Promise<number[]> {
  // All held open at once, so no two of them can be the same port.
  const servers = await Promise.all(Array.from({ length: count }, listenAnywhere));
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (ports.includes(0)) throw new Error(`could not find ${count} free ports`);
  return ports;
}

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, 'localhost', () => resolve(server));
  });
}
