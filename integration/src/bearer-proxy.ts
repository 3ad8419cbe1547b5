/**
 * A test-only reverse proxy that adds `Authorization: Bearer <token>` to each request it forwards, for test clients
 * that cannot send a token themselves: the MCP conformance tool's server runner has no option for headers or
 * authorization, and the MCP server refuses every request without a valid token. The token is a real one, minted
 * for the test through EMA (the IdP's token exchange, then the RAS's jwt-bearer grant); nothing in any app changes.
 *
 * Everything else passes through untouched, `Host` and `Origin` included, so the server's own checks (DNS-rebinding
 * protection, sessions, scopes) still decide; the bodies stream both ways (Server-Sent Events included). A request
 * that already carries an `Authorization` header keeps it.
 */
import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening proxy. */
export interface BearerProxy {
  /** `http://127.0.0.1:<port>`: the origin test clients call instead of the upstream one. */
  origin: string;
  /** How many requests it forwarded. */
  forwarded(): number;
  close(): Promise<void>;
}

// RFC 9110 §7.6.1: hop-by-hop fields are the proxy's own business, never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Starts the proxy on a free loopback port, forwarding to `upstream` (an origin) with `token()` as the bearer. */
export async function startBearerProxy(options: { upstream: string; token: () => string }): Promise<BearerProxy> {
  const upstream = new URL(options.upstream);
  let count = 0;
  const server = createServer((incoming, outgoing) => {
    count += 1;
    const headers = endToEnd(incoming.headers);
    headers.authorization ??= `Bearer ${options.token()}`;
    const upstreamRequest = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    // A client that goes away (an abandoned event stream) ends the upstream request too.
    outgoing.on('close', () => upstreamRequest.destroy());
    incoming.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    forwarded: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
