import { InvalidClientError } from '../errors/token-errors.js';
import type { ClientAuthInput } from './authenticate-client.js';
import type { AuthenticatedClient, RegisteredClient } from './registered-client.js';

/**
 * A public client (RFC 6749 §2.1, `token_endpoint_auth_method: none`) identifies itself by `client_id` alone; what
 * proves the request is the grant itself (the PKCE verifier of its code, RFC 7636 §4.5; a refresh token bound to it).
 * Returns `undefined` when the request carries credentials or names no client, so the caller authenticates it as a
 * confidential client instead. A confidential client that sends no credentials is refused (RFC 6749 §3.2.1: it MUST
 * authenticate), as is an unknown one.
 */
export function authenticatePublicClient<C extends RegisteredClient>(
  input: ClientAuthInput,
  findClient: (clientId: string) => C | undefined,
): AuthenticatedClient<C> | undefined {
  const credentials =
    (input.authorization !== undefined && input.authorization !== '') ||
    input.params.has('client_secret') ||
    input.params.has('client_assertion');
  const clientId = input.params.get('client_id');
  if (credentials || clientId === undefined) return undefined;
  const client = findClient(clientId);
  if (client === undefined || client.secretHash !== null) throw new InvalidClientError('client authentication failed');
  return { client, method: 'none' };
}
