import { MEDIA_TYPE_FORM, type OAuthErrorResponse, type TokenResponse } from '@ema/protocol';
import { authenticateClient } from '../client-auth/authenticate-client.js';
import { authenticatePublicClient } from '../client-auth/authenticate-public-client.js';
import type { ClientAuthMethod, RegisteredClient } from '../client-auth/registered-client.js';
import { checkTokenRequestProof, type TokenEndpointDpopOptions } from '../dpop/token-request-proof.js';
import type { OAuthError } from '../errors/oauth-error.js';
import { toOAuthError } from '../errors/to-oauth-error.js';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '../errors/token-errors.js';
import { isAudited } from './audited-refusal.js';
import type { GrantModule } from './grant-module.js';
import { NO_STORE_HEADERS } from './no-store.js';
import { parseFormBody } from './parse-form-body.js';

/** The parts of an HTTP request the token endpoint looks at. */
export interface TokenRequestInput {
  /** HTTP method; when given, anything but POST is refused (RFC 6749 §3.2). */
  method?: string;
  contentType: string | undefined;
  authorization: string | undefined;
  /** The raw body, as received. */
  body: string;
  /** The `DPoP` request header(s), as received (RFC 9449 §4.1); read only when the endpoint has `dpop` options. */
  dpop?: string | readonly string[] | undefined;
  /**
   * Runs once the client is authenticated, before the grant (a per-client rate limit: only requests that prove the
   * client's identity spend its budget). Throw an `OAuthError` to refuse.
   */
  admitClient?: (clientId: string) => Promise<void>;
}

/** The HTTP answer: status, headers (always with `Cache-Control: no-store`) and the JSON body. */
export interface TokenRequestResult {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: TokenResponse | OAuthErrorResponse;
}

/** Context passed to {@link TokenEndpointOptions.onRefusal}. */
export interface TokenRefusalContext {
  grantType?: string;
  clientId?: string;
}

/** Configuration of the token endpoint; build it once, not per request. */
export interface TokenEndpointOptions<C extends RegisteredClient> {
  grants: readonly GrantModule<C>[];
  findClient: (clientId: string) => C | undefined;
  /** Client authentication methods accepted from confidential clients (default: both secret methods). */
  methods?: readonly ClientAuthMethod[];
  /**
   * Grant types a public client may use with no credentials, identified by `client_id` alone (default: none). The
   * authorization code grant (PKCE proves the request) and the refresh token grant (the token is bound to the
   * client) qualify; an assertion grant such as jwt-bearer never does (ID-JAG §4.4.1: confidential clients only).
   */
  publicClientGrants?: readonly string[];
  /**
   * Whether this client may use this grant type (RFC 7591 §2 `grant_types`); when false the request is refused with
   * `unauthorized_client` (RFC 6749 §5.2). Default: every client may use every grant.
   */
  mayUseGrant?: (client: C, grantType: string) => boolean;
  /** Realm of the `WWW-Authenticate: Basic` challenge. */
  realm?: string;
  /** Maximum number of form parameters (default 64). */
  maxParameters?: number;
  /**
   * RFC 9449 §5: how DPoP proofs are checked (after client authentication, before the grant, which receives the
   * key's thumbprint as `dpop`). Without it the `DPoP` header is ignored and every token is a bearer token.
   */
  dpop?: TokenEndpointDpopOptions<C>;
  /**
   * Called for every refused request the grant handler did not already audit (`markAudited`), so each refusal
   * reaches the audit log once; must not throw.
   */
  onRefusal?: (error: OAuthError, ctx: TokenRefusalContext) => void;
  /** Called with the original error when something unexpected became `server_error` (for the server log). */
  onUnexpectedError?: (error: unknown) => void;
}

function isFormContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  if (contentType === MEDIA_TYPE_FORM) return true;
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return essence === MEDIA_TYPE_FORM;
}

/**
 * The token endpoint (RFC 6749 §3.2), framework-neutral: POST with a form body only; parse (repeated parameters
 * refused) -> authenticate the client -> `grant_type` present and supported -> the DPoP proof (RFC 9449 §5, when
 * configured) -> the grant module's handler.
 * Never throws: every outcome, including unexpected errors (as `server_error`), is an HTTP answer carrying
 * `Cache-Control: no-store` and `Pragma: no-cache`.
 */
export async function handleTokenRequest<C extends RegisteredClient>(
  input: TokenRequestInput,
  options: TokenEndpointOptions<C>,
): Promise<TokenRequestResult> {
  const ctx: TokenRefusalContext = {};
  try {
    if (input.method !== undefined && input.method !== 'POST') {
      // RFC 6749 §3.2: the client MUST use the HTTP POST method.
      const refused = new InvalidRequestError('the token endpoint accepts POST only', { headers: { Allow: 'POST' } });
      return refusal(refused, ctx, options, 405);
    }
    if (!isFormContentType(input.contentType)) {
      throw new InvalidRequestError(`content type must be ${MEDIA_TYPE_FORM}`);
    }
    const params = parseFormBody(input.body, options);
    const grantType = params.get('grant_type');
    if (grantType !== undefined) ctx.grantType = grantType;
    const authInput = { authorization: input.authorization, params };
    const publicGrant = grantType !== undefined && options.publicClientGrants?.includes(grantType) === true;
    const { client, method } =
      (publicGrant ? authenticatePublicClient(authInput, options.findClient) : undefined) ??
      authenticateClient(authInput, options.findClient, options);
    ctx.clientId = client.clientId;
    if (input.admitClient !== undefined) await input.admitClient(client.clientId);
    if (grantType === undefined) throw new InvalidRequestError('grant_type is required');
    const grant = options.grants.find((candidate) => candidate.grantType === grantType);
    if (grant === undefined) throw new UnsupportedGrantTypeError();
    if (options.mayUseGrant !== undefined && !options.mayUseGrant(client, grantType)) {
      throw new UnauthorizedClientError('this client may not use this grant type');
    }
    // RFC 9449 §5: the proof, when sent (or required for this client), binds what the grant issues.
    const dpop = options.dpop && (await checkTokenRequestProof(input.dpop, client, options.dpop));
    const body = await grant.handler({ params, client, clientAuthMethod: method, dpop });
    return { status: 200, headers: NO_STORE_HEADERS, body };
  } catch (error) {
    const oauthError = toOAuthError(error);
    if (oauthError !== error) options.onUnexpectedError?.(error);
    return refusal(oauthError, ctx, options);
  }
}

function refusal<C extends RegisteredClient>(
  error: OAuthError,
  ctx: TokenRefusalContext,
  options: TokenEndpointOptions<C>,
  status = error.status,
): TokenRequestResult {
  if (!isAudited(error)) {
    try {
      options.onRefusal?.(error, ctx);
    } catch (hookError) {
      options.onUnexpectedError?.(hookError);
    }
  }
  const hasHeaders = Object.keys(error.headers).length > 0;
  return {
    status,
    headers: hasHeaders ? { ...error.headers, ...NO_STORE_HEADERS } : NO_STORE_HEADERS,
    body: error.toResponseBody(),
  };
}
