/**
 * The clients the token endpoint knows, with the grant types each may use (RFC 7591 §2 `grant_types`; RFC 6749 §5.2
 * `unauthorized_client` otherwise): the registry's EMA clients use the jwt-bearer grant only; clients of the
 * interactive path (registered by RFC 7591 or known by their metadata document) use what they registered, among
 * `authorization_code` and `refresh_token`.
 */
import type { RegisteredClient } from '@ema/oauth-server';
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import type { RasStorage } from '../storage/ras-storage.js';

/** A client as the token endpoint sees it. */
export interface TokenClient extends RegisteredClient {
  grantTypes: readonly string[];
}

const EMA_GRANTS: readonly string[] = [GRANT_TYPE_JWT_BEARER];

/** Looks a `client_id` up in the registry first (the jwt-bearer hot path, cached), then among interactive clients. */
export function tokenClientLookup(storage: RasStorage): (clientId: string) => TokenClient | undefined {
  return (clientId) => {
    const registered = storage.registry.findClient(clientId);
    if (registered !== undefined) return { ...registered, grantTypes: EMA_GRANTS };
    const interactive = storage.interactive.clients.findClient(clientId);
    return interactive && { clientId, secretHash: interactive.secretHash, grantTypes: interactive.metadata.grantTypes };
  };
}
