/**
 * A second, test-only ID-JAG issuer: an "outside" IdP (not the demo world's), with its own ES256 key and its JWKS
 * served over real HTTP on an ephemeral port, so the redemption fetches it like any trusted issuer's.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TYP_ID_JAG } from '@ema/protocol';
import { SignJWT } from 'jose';
import { generateKey } from './redemption-rig.js';

/** The outside IdP: its issuer and JWKS URI, a minting function, and how to stop it. */
export interface OutsideIdp {
  issuer: string;
  jwksUri: string;
  /** How many times its JWKS was fetched. */
  jwksFetches(): number;
  /** Mints an ID-JAG from this issuer; `undefined` values remove a claim. */
  mint(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Starts the outside IdP on 127.0.0.1, port 0. */
export async function startOutsideIdp(): Promise<OutsideIdp> {
  const key = await generateKey();
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    response.end(JSON.stringify({ keys: [key.publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    jwksFetches: () => fetches,
    mint: (claims) => {
      const full = { iss: issuer, jti: randomUUID(), ...claims };
      const present = Object.fromEntries(Object.entries(full).filter(([, value]) => value !== undefined));
      // Signed with jose directly, not mintIdJag: tests mint claim sets the schema refuses too.
      const { alg, kid, privateKey } = key.signer;
      return new SignJWT(present).setProtectedHeader({ alg, kid, typ: TYP_ID_JAG }).sign(privateKey);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
