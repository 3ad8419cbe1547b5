/** A Security Event receiver on an ephemeral port, for tests: records each push and answers as scripted. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One push as the receiver saw it. */
export interface ReceivedPush {
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** A listening receiver. */
export interface TestSetReceiver {
  readonly url: string;
  readonly pushes: ReceivedPush[];
  /** The status of the next answers (default 202). */
  answer(status: number): void;
  close(): Promise<void>;
}

/** Starts a receiver on `127.0.0.1` at a free port (or `port`, to come back on the same one). */
export async function startSetReceiver(port = 0): Promise<TestSetReceiver> {
  const pushes: ReceivedPush[] = [];
  let status = 202;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      pushes.push({ contentType: request.headers['content-type'], authorization: request.headers.authorization, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${bound}/ssf/events`,
    pushes,
    answer: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `condition` holds (real time), failing after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
