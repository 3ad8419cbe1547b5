/**
 * A second, test-only ID-JAG issuer beside the demo IdP: its own ES256 key, its JWKS served over real HTTP on an
 * ephemeral port (127.0.0.1, port 0), so the RAS fetches it like any trusted issuer's once an admin registers it.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MEDIA_TYPE_JWK_SET, TYP_ID_JAG } from '@ema/protocol';
import { SignJWT } from 'jose';
import { generateTestKey } from './test-idp.js';

/** The outside IdP: issuer, JWKS URI, a minting function, and how to stop it. */
export interface OutsideIdp {
  issuer: string;
  jwksUri: string;
  /** Mints an ID-JAG from this issuer (`iss` and a fresh `jti` added); `undefined` values are left out. */
  mint(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Starts the outside IdP. */
export async function startOutsideIdp(): Promise<OutsideIdp> {
  const key = await generateTestKey();
  const server = createServer((request, response) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': MEDIA_TYPE_JWK_SET }).end(JSON.stringify({ keys: [key.publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    mint: (claims) => {
      const present = Object.fromEntries(
        Object.entries({ iss: issuer, jti: randomUUID(), ...claims }).filter(([, value]) => value !== undefined),
      );
      // jose directly rather than mintIdJag: the tests also mint claim sets the ID-JAG schema refuses.
      const { alg, kid, privateKey } = key.signer;
      return new SignJWT(present).setProtectedHeader({ alg, kid, typ: TYP_ID_JAG }).sign(privateKey);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
