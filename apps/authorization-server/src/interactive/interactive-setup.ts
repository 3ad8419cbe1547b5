import type { RasContext } from '../context.js';
import { createIdentityChaining } from './identity-chaining.js';
import { IdpRelyingParty } from './idp-relying-party.js';
import type { InteractiveContext } from './interactive-context.js';
import { createClientResolver } from './resolve-client.js';

/** What tests and embedders may inject into the interactive path. */
export interface InteractiveDependencies {
  /** Used for the IdP (discovery, sign-in, token exchange) and the trusted IdPs' JWKS. */
  fetch?: typeof fetch;
  /** Extra trusted CA certificates (PEM) for Client ID Metadata Documents. */
  metadataDocumentCa?: string;
  onUnexpectedError: (error: unknown) => void;
}

/** Builds the interactive path's shared context once: the IdP relying party, identity chaining, client resolution. */
export function createInteractiveContext(ras: RasContext, deps: InteractiveDependencies): InteractiveContext {
  const { config } = ras;
  const relyingParty = new IdpRelyingParty({
    ...config.interactive.signIn,
    redirectUri: `${config.issuer}/authorize/callback`,
    allowInsecureLoopback: config.allowInsecureLoopback,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  return {
    ras,
    relyingParty,
    chain: createIdentityChaining(ras, relyingParty, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onUnexpectedError: deps.onUnexpectedError,
    }),
    resolveClient: createClientResolver(
      ras,
      deps.metadataDocumentCa === undefined ? {} : { metadataDocumentCa: deps.metadataDocumentCa },
    ),
  };
}
