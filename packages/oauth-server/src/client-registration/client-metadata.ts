/**
 * Validation of client metadata (RFC 7591 §2), shared by the two ways an MCP client registers: Dynamic Client
 * Registration (RFC 7591 §3) and a Client ID Metadata Document (MCP-AUTH 2025-11-25,
 * draft-ietf-oauth-client-id-metadata-document §4). Only what the authorization code flow at this server uses is
 * accepted: `response_type=code`, the `authorization_code` and `refresh_token` grants, redirect URIs that are HTTPS
 * or loopback.
 */
import {
  CLIENT_AUTH_METHOD_NONE,
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_REFRESH_TOKEN,
  hasControlCharacter,
  RESPONSE_TYPE_CODE,
} from '@ema/protocol';
import { redirectUriProblem } from '../authorization/redirect-uri.js';

/** How a registered client authenticates at the token endpoint (RFC 7591 §2). */
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** Client metadata after validation, with the RFC 7591 §2 defaults applied. */
export interface ValidatedClientMetadata {
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  responseTypes: string[];
  clientName?: string;
  clientUri?: string;
  /** Stored and returned, never loaded by this server (no request to a URL a client chose, no tracking pixel). */
  logoUri?: string;
  scope?: string;
  contacts?: string[];
  tosUri?: string;
  policyUri?: string;
  softwareId?: string;
  softwareVersion?: string;
}

/** RFC 7591 §3.2.2 error codes. */
export type ClientMetadataErrorCode = 'invalid_redirect_uri' | 'invalid_client_metadata';

/** Metadata this server does not accept; `error` is the RFC 7591 §3.2.2 code, the message says which member. */
export class ClientMetadataError extends Error {
  override name = 'ClientMetadataError';
  readonly error: ClientMetadataErrorCode;
  /** Creates the error for `error` with a description naming the offending member. */
  constructor(error: ClientMetadataErrorCode, description: string) {
    super(description);
    this.error = error;
  }
}

/** Where the metadata comes from: the registration endpoint, or a Client ID Metadata Document. */
export type ClientMetadataSource = 'registration' | 'document';

const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
const MAX_TEXT_LENGTH = 200;
const GRANT_TYPES: readonly string[] = [GRANT_TYPE_AUTHORIZATION_CODE, GRANT_TYPE_REFRESH_TOKEN];
const AUTH_METHODS: Record<ClientMetadataSource, readonly TokenEndpointAuthMethod[]> = {
  registration: [CLIENT_AUTH_METHOD_NONE, 'client_secret_basic', 'client_secret_post'],
  // draft-ietf-oauth-client-id-metadata-document §4.1: no shared secret is possible for a published document.
  document: [CLIENT_AUTH_METHOD_NONE],
};

function invalid(description: string): ClientMetadataError {
  return new ClientMetadataError('invalid_client_metadata', description);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(metadata: Record<string, unknown>, name: string, max = MAX_TEXT_LENGTH): string | undefined {
  const value = metadata[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max || hasControlCharacter(value)) {
    throw invalid(`${name} must be a non-empty string of at most ${max} printable characters`);
  }
  return value;
}

function webUri(metadata: Record<string, unknown>, name: string): string | undefined {
  const value = text(metadata, name, MAX_URI_LENGTH);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !['https:', 'http:'].includes(new URL(value).protocol)) {
    throw invalid(`${name} must be an http(s) URL`);
  }
  return value;
}

function strings(metadata: Record<string, unknown>, name: string, max: number): string[] | undefined {
  const value = metadata[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    throw invalid(`${name} must be a non-empty array of at most ${max} strings`);
  }
  if (!value.every((entry): entry is string => typeof entry === 'string' && entry.length <= MAX_URI_LENGTH)) {
    throw invalid(`${name} must be an array of strings`);
  }
  return [...new Set(value)];
}

/**
 * Validates client metadata and applies the RFC 7591 §2 defaults (`grant_types` `["authorization_code"]`,
 * `response_types` `["code"]`, `token_endpoint_auth_method` `client_secret_basic` for a registration and `none` for a
 * document).
 *
 * @throws ClientMetadataError `invalid_redirect_uri` or `invalid_client_metadata`.
 */
export function validateClientMetadata(input: unknown, source: ClientMetadataSource): ValidatedClientMetadata {
  if (!isRecord(input)) throw invalid('client metadata must be a JSON object');
  // draft-ietf-oauth-client-id-metadata-document §4.1: a published document carries no secret.
  if (source === 'document' && ('client_secret' in input || 'client_secret_expires_at' in input)) {
    throw invalid('a client metadata document must not contain client_secret or client_secret_expires_at');
  }

  const redirectUris = strings(input, 'redirect_uris', MAX_REDIRECT_URIS);
  // RFC 7591 §2: redirect_uris is required for redirect-based flows, the only flow here.
  if (redirectUris === undefined) {
    throw new ClientMetadataError('invalid_redirect_uri', 'redirect_uris is required');
  }
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem !== undefined) throw new ClientMetadataError('invalid_redirect_uri', `redirect URI ${problem}`);
  }

  const methodValue = text(input, 'token_endpoint_auth_method') ?? defaultAuthMethod(source);
  const method = AUTH_METHODS[source].find((candidate) => candidate === methodValue);
  if (method === undefined) throw invalid(`token_endpoint_auth_method ${methodValue} is not supported`);

  const grantTypes = strings(input, 'grant_types', GRANT_TYPES.length + 4) ?? [GRANT_TYPE_AUTHORIZATION_CODE];
  const unsupported = grantTypes.find((grant) => !GRANT_TYPES.includes(grant));
  if (unsupported !== undefined) throw invalid(`grant type ${unsupported} is not supported`);
  if (!grantTypes.includes(GRANT_TYPE_AUTHORIZATION_CODE)) throw invalid('grant_types must include authorization_code');
  const responseTypes = strings(input, 'response_types', 4) ?? [RESPONSE_TYPE_CODE];
  // RFC 7591 §2.1: authorization_code goes with the code response type, and nothing else is served here.
  if (responseTypes.length !== 1 || responseTypes[0] !== RESPONSE_TYPE_CODE) {
    throw invalid('response_types must be ["code"]');
  }

  const metadata: ValidatedClientMetadata = {
    redirectUris,
    tokenEndpointAuthMethod: method,
    grantTypes,
    responseTypes,
  };
  const optional: Array<[keyof ValidatedClientMetadata, string | string[] | undefined]> = [
    ['clientName', text(input, 'client_name')],
    ['clientUri', webUri(input, 'client_uri')],
    ['logoUri', webUri(input, 'logo_uri')],
    ['scope', text(input, 'scope', 1000)],
    ['contacts', strings(input, 'contacts', 10)],
    ['tosUri', webUri(input, 'tos_uri')],
    ['policyUri', webUri(input, 'policy_uri')],
    ['softwareId', text(input, 'software_id')],
    ['softwareVersion', text(input, 'software_version')],
  ];
  for (const [name, value] of optional) if (value !== undefined) Object.assign(metadata, { [name]: value });
  return metadata;
}

function defaultAuthMethod(source: ClientMetadataSource): TokenEndpointAuthMethod {
  return source === 'document' ? CLIENT_AUTH_METHOD_NONE : 'client_secret_basic';
}
