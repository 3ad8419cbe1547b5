import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Below Linux's default ephemeral range (32768-60999), so no outgoing connection of any process takes the port
 * between this check and the app's listen; picked at random, so parallel test files rarely meet.
 */
const RANGE = { from: 20_000, to: 32_000 } as const;

/** Whether `port` can be bound on loopback now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port free at the time of the call (tests never use the demo ports). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(RANGE.from, RANGE.to);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free loopback port in ${RANGE.from}-${RANGE.to}`);
}
