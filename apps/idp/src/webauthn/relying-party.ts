/**
 * The IdP as a WebAuthn relying party (WebAuthn L3 §5.1.2 origin, §4 RP ID): its origin is the issuer's, its RP ID
 * the issuer's host name. Passkeys are bound to that RP ID, so moving the IdP to another host name strands them.
 * Browsers accept `localhost` over http as a secure context; an IP address is never a valid RP ID.
 */
export interface RelyingParty {
  /** The RP ID (WebAuthn L3 §4): the issuer's host name. */
  readonly id: string;
  /** The only origin ceremonies may come from (WebAuthn L3 §7.1 step 9, §7.2 step 13). */
  readonly origin: string;
  /** Shown by the authenticator when the user creates a passkey. */
  readonly name: string;
}

/** The relying party of an IdP issuer. */
export function relyingPartyOf(issuer: string): RelyingParty {
  const url = new URL(issuer);
  return { id: url.hostname, origin: url.origin, name: 'Acme IdP' };
}

/** How long a ceremony's challenge stays valid (the options also ask the browser to time out by then). */
export const CEREMONY_TIMEOUT_SECONDS = 300;

/**
 * The public key algorithms offered at registration (COSE ids): ES256 (-7), then RS256 (-257) for authenticators
 * that have nothing else. The same list is enforced when the registration is verified.
 */
export const SUPPORTED_ALGORITHM_IDS: readonly number[] = [-7, -257];
