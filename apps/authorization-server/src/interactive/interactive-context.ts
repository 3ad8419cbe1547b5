import type { RasContext } from '../context.js';
import type { ChainingOutcome, ChainingRequest } from './identity-chaining.js';
import type { IdpRelyingParty } from './idp-relying-party.js';
import type { InteractiveClient } from './storage/interactive-clients.js';

/** A `client_id` resolved for an authorization request, or why it was not. */
export type ClientResolution =
  | { ok: true; client: InteractiveClient }
  | { ok: false; reason: string; description: string };

/** What the interactive routes share: the RAS context, the IdP relying party, identity chaining, client resolution. */
export interface InteractiveContext {
  ras: RasContext;
  relyingParty: IdpRelyingParty;
  chain: (request: ChainingRequest) => Promise<ChainingOutcome>;
  resolveClient: (clientId: string) => Promise<ClientResolution>;
}
