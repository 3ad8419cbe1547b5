/**
 * A stand-in for an MCP server's Security Event receiver (RFC 8935 push) in the fault tests: it keeps every SET it
 * accepts, and can refuse them all (503) so that the sender's outbox keeps its entries pending across a crash.
 */
import { createServer } from 'node:http';
import { freePort } from '../free-port.js';

/** A running event sink. */
export interface EventSink {
  /** `http://127.0.0.1:<port>/ssf/events` */
  readonly endpoint: string;
  /** The claims of every SET accepted so far (decoded, not verified: the sink only counts what arrived). */
  readonly accepted: Array<Record<string, unknown>>;
  /** `false`: answer 503 to every push (the receiver down); `true`: accept (202). */
  accepting: boolean;
  close(): Promise<void>;
}

/** Starts a sink on a free loopback port, refusing pushes until `accepting` is set. */
export async function startEventSink(): Promise<EventSink> {
  const port = await freePort();
  const sink: EventSink = {
    endpoint: `http://127.0.0.1:${port}/ssf/events`,
    accepted: [],
    accepting: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!sink.accepting) {
        response.writeHead(503, { 'retry-after': '1' }).end();
        return;
      }
      const payload = Buffer.concat(chunks).toString('utf8').split('.')[1] ?? '';
      sink.accepted.push(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>);
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return sink;
}
