import { hashClientSecret, type RegisteredClient, type ResourceRegistry } from '@ema/oauth-server';
import type { ExampleConfig } from './config.js';

/** The fixed registry of this example: one client, allowed every scope of the one resource. */
export interface FixedRegistry extends ResourceRegistry {
  findClient(clientId: string): RegisteredClient | undefined;
}

/**
 * Builds the registry from the configuration. The secret is kept only as its hash (RFC 6819 §5.1.4.1.3), compared
 * in constant time by the client authentication of `@ema/oauth-server`. Answers from memory: the hot path reads no
 * storage here.
 */
export function createFixedRegistry(config: ExampleConfig): FixedRegistry {
  const client: RegisteredClient = {
    clientId: config.client.clientId,
    secretHash: hashClientSecret(config.client.secret),
  };
  // ID-JAG §4.4.1 steps 8-9: the resource this server serves, and what the client may obtain there.
  const served = { resource: config.resource, resourceScopes: config.scopes, clientScopes: config.scopes };
  const notAllowed = { ...served, clientScopes: undefined };
  return {
    findClient: (clientId) => (clientId === client.clientId ? client : undefined),
    findResourceForClient: (resource, clientId) => {
      if (resource !== served.resource) return undefined;
      return clientId === client.clientId ? served : notAllowed;
    },
  };
}
