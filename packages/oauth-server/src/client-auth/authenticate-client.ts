import { InvalidClientError, InvalidRequestError } from '../errors/token-errors.js';
import { isBasicAuthorization, parseBasicCredentials } from './basic-credentials.js';
import { hashClientSecret, verifyClientSecret } from './client-secret.js';
import type { AuthenticatedClient, ClientAuthMethod, RegisteredClient } from './registered-client.js';

/** Options of {@link authenticateClient}. */
export interface AuthenticateClientOptions {
  /** Methods this endpoint accepts (default: both). */
  methods?: readonly ClientAuthMethod[];
  /** Realm of the `WWW-Authenticate: Basic` challenge (default `"oauth"`). */
  realm?: string;
}

/** What client authentication reads from a request. */
export interface ClientAuthInput {
  authorization: string | undefined;
  params: ReadonlyMap<string, string>;
}

const ALL_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];
// Compared against when the client is unknown or public, so every refusal costs one hash comparison.
const DECOY_HASH = hashClientSecret('decoy');

/**
 * Authenticates the client of a token-endpoint request (RFC 6749 §2.3.1) with `client_secret_basic` or
 * `client_secret_post`. Throws `invalid_request` when more than one method is used and `401 invalid_client` for
 * a missing, unknown, public or wrongly authenticated client. Leaves `params` untouched.
 */
export function authenticateClient<C extends RegisteredClient>(
  input: ClientAuthInput,
  findClient: (clientId: string) => C | undefined,
  options: AuthenticateClientOptions = {},
): AuthenticatedClient<C> {
  const methods = options.methods ?? ALL_METHODS;
  const realm = options.realm ?? 'oauth';
  const bodyId = input.params.get('client_id');
  const bodySecret = input.params.get('client_secret');

  let clientId: string;
  let secret: string;
  let method: ClientAuthMethod;
  let basicRealm: string | undefined;

  if (input.authorization !== undefined && input.authorization !== '') {
    if (!isBasicAuthorization(input.authorization)) {
      throw new InvalidClientError('unsupported client authentication method');
    }
    basicRealm = realm;
    // RFC 6749 §2.3: the client MUST NOT use more than one authentication method in each request.
    if (bodySecret !== undefined) {
      throw new InvalidRequestError('more than one client authentication method used');
    }
    const credentials = parseBasicCredentials(input.authorization);
    if (credentials === undefined) throw new InvalidClientError('malformed Basic credentials', { basicRealm });
    if (bodyId !== undefined && bodyId !== credentials.clientId) {
      throw new InvalidRequestError('client_id does not match the Basic credentials');
    }
    clientId = credentials.clientId;
    secret = credentials.clientSecret;
    method = 'client_secret_basic';
  } else if (bodySecret !== undefined) {
    if (bodyId === undefined) throw new InvalidRequestError('client_secret without client_id');
    clientId = bodyId;
    secret = bodySecret;
    method = 'client_secret_post';
  } else {
    // No credentials: a public client, or none at all. The token endpoints of this profile take neither.
    throw new InvalidClientError('client authentication required');
  }

  if (!methods.includes(method)) {
    throw new InvalidClientError('client authentication method not allowed', basicOption(basicRealm));
  }

  const client = findClient(clientId);
  const hash = client?.secretHash ?? DECOY_HASH;
  const matches = verifyClientSecret(secret, hash);
  if (client === undefined || client.secretHash === null || !matches) {
    throw new InvalidClientError('client authentication failed', basicOption(basicRealm));
  }
  return { client, method };
}

function basicOption(basicRealm: string | undefined): { basicRealm?: string } {
  return basicRealm === undefined ? {} : { basicRealm };
}
