/**
 * A stand-in issuer for the fault tests: an ES256 key whose JWKS it serves over HTTP on a free loopback port. The
 * RAS trusts it as its IdP (to redeem ID-JAGs the test mints), the MCP server as its RAS (to accept access tokens the
 * test mints), so each crashed app is tested alone, with no other app process to start.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Signer } from '@ema/jwt';
import { freePort } from '../free-port.js';

/** A running key server. */
export interface KeyServer {
  /** `http://127.0.0.1:<port>`: the issuer of what `signer` signs. */
  readonly issuer: string;
  /** `<issuer>/jwks` */
  readonly jwksUri: string;
  readonly signer: Signer;
  close(): Promise<void>;
}

/** Generates an ES256 key and serves its public JWK at `/jwks`. */
export async function startKeyServer(): Promise<KeyServer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `fault-${randomUUID().slice(0, 8)}`;
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((request, response) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    signer: { kid, alg: 'ES256', privateKey },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
