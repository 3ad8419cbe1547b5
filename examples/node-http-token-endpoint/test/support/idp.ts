/**
 * This repository's IdP, in process, served over HTTP on an ephemeral port: its demo world (alice, bob, carol, the
 * agent host client, the Acme Tickets resource and its policy) with the resource's authorization server set to the
 * example's issuer, so the IdP mints ID-JAGs for it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '@ema/idp/app';
import { loadIdpConfig } from '@ema/idp/config';
import { listenOnEphemeralPort } from './listen.js';

/** A running IdP. */
export interface RunningIdp {
  issuer: string;
  close(): Promise<void>;
}

/** Starts the IdP whose demo resource `resource` is served by the authorization server `rasIssuer`. */
export async function startIdp(demo: { rasIssuer: string; mcpResource: string }): Promise<RunningIdp> {
  const http = await listenOnEphemeralPort();
  const idp = await buildApp(
    loadIdpConfig({
      issuer: http.origin,
      dataDir: mkdtempSync(join(tmpdir(), 'example-node-http-idp-')),
      allowInsecureLoopback: true,
      logLevel: 'silent',
      // The lowest cost the IdP accepts: tests sign in often.
      passwordHashCost: 14,
      demo,
    }),
  );
  await idp.ready();
  // Fastify's own request handler, on a server that was already listening when the issuer had to be known.
  http.handle((request, response) => idp.routing(request, response));
  return {
    issuer: http.origin,
    close: async () => {
      await http.close();
      await idp.close();
    },
  };
}
