/**
 * Dynamic Client Registration (RFC 7591 §3): validates the metadata, issues a `client_id` (and, for a confidential
 * client, a `client_secret`, kept only as its hash), stores the registration, and answers the client information
 * response (§3.2.1). Open registration: what a registered client can do is still bounded by the user's sign-in, the
 * organization's policy and the user's consent.
 */
import { randomBytes } from 'node:crypto';
import { CLIENT_AUTH_METHOD_NONE, type ClientRegistrationResponse } from '@ema/protocol';
import { generateClientSecret, hashClientSecret } from '../client-auth/client-secret.js';
import { type ValidatedClientMetadata, validateClientMetadata } from './client-metadata.js';

/** A dynamically registered client. */
export interface DynamicClient {
  clientId: string;
  /** `hashClientSecret` of its secret, or `null` for a public client (`token_endpoint_auth_method: none`). */
  secretHash: string | null;
  metadata: ValidatedClientMetadata;
  /** Seconds since the epoch. */
  issuedAt: number;
}

/** Where registrations are kept. */
export interface DynamicClientStore {
  insert(client: DynamicClient): void;
}

/** Options of {@link registerClient}. */
export interface RegisterClientOptions {
  store: DynamicClientStore;
  /** Epoch milliseconds. */
  now: () => number;
  /** The new `client_id` (default: `dcr_` and 128 random bits, base64url). */
  newClientId?: () => string;
}

/**
 * Registers a client from the request body (already parsed JSON).
 *
 * @throws ClientMetadataError `invalid_redirect_uri` or `invalid_client_metadata` (RFC 7591 §3.2.2).
 */
export function registerClient(
  body: unknown,
  options: RegisterClientOptions,
): { client: DynamicClient; response: ClientRegistrationResponse } {
  const metadata = validateClientMetadata(body, 'registration');
  const clientId = (options.newClientId ?? (() => `dcr_${randomBytes(16).toString('base64url')}`))();
  const secret = metadata.tokenEndpointAuthMethod === CLIENT_AUTH_METHOD_NONE ? undefined : generateClientSecret();
  const issuedAt = Math.floor(options.now() / 1000);
  const client: DynamicClient = {
    clientId,
    secretHash: secret === undefined ? null : hashClientSecret(secret),
    metadata,
    issuedAt,
  };
  options.store.insert(client);
  return {
    client,
    response: {
      client_id: clientId,
      client_id_issued_at: issuedAt,
      // RFC 7591 §3.2.1: client_secret_expires_at is required with a secret; 0 = it does not expire.
      ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
      ...clientMetadataResponse(metadata),
    },
  };
}

/** The registered metadata in RFC 7591 §2 member names (§3.2.1: the response repeats every registered value). */
export function clientMetadataResponse(
  metadata: ValidatedClientMetadata,
): Omit<
  ClientRegistrationResponse,
  'client_id' | 'client_id_issued_at' | 'client_secret' | 'client_secret_expires_at'
> {
  return {
    redirect_uris: metadata.redirectUris,
    token_endpoint_auth_method: metadata.tokenEndpointAuthMethod,
    grant_types: metadata.grantTypes,
    response_types: metadata.responseTypes,
    ...(metadata.clientName === undefined ? {} : { client_name: metadata.clientName }),
    ...(metadata.clientUri === undefined ? {} : { client_uri: metadata.clientUri }),
    ...(metadata.logoUri === undefined ? {} : { logo_uri: metadata.logoUri }),
    ...(metadata.scope === undefined ? {} : { scope: metadata.scope }),
    ...(metadata.contacts === undefined ? {} : { contacts: metadata.contacts }),
    ...(metadata.tosUri === undefined ? {} : { tos_uri: metadata.tosUri }),
    ...(metadata.policyUri === undefined ? {} : { policy_uri: metadata.policyUri }),
    ...(metadata.softwareId === undefined ? {} : { software_id: metadata.softwareId }),
    ...(metadata.softwareVersion === undefined ? {} : { software_version: metadata.softwareVersion }),
  };
}
