/**
 * Step 3 of the flow: RFC 8693 token exchange at the IdP, trading the user's ID token (or IdP refresh token) for an
 * ID-JAG addressed to the RAS (ID-JAG §4.3).
 */
import {
  formatScope,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_NOT_APPLICABLE,
  type TOKEN_TYPE_REFRESH_TOKEN,
  type TokenExchangeRequest,
} from '@ema/protocol';
import type { ClientAuthentication } from '../client-authentication.js';
import {
  AccessRevokedError,
  ClientAuthenticationError,
  InsufficientUserAuthenticationError,
  PolicyDenialError,
  SubjectTokenUnavailableError,
  TokenResponseError,
} from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import { checkIssuedIdJag } from './check-id-jag.js';
import { postTokenRequest, readExpiresIn, type TokenErrorAnswer } from './token-request.js';

/** The subject token presented at the exchange. */
export interface SubjectToken {
  token: string;
  type: typeof TOKEN_TYPE_ID_TOKEN | typeof TOKEN_TYPE_REFRESH_TOKEN;
  /** When the client knows it (an ID token's `exp`), epoch milliseconds: a refusal before then is a revocation. */
  expiresAt?: number;
}

/** Parameters of {@link requestIdJag}. */
export interface IdJagRequest {
  tokenEndpoint: string;
  clientAuthentication: ClientAuthentication;
  /** The RAS issuer identifier (ID-JAG §4.3: `audience` is the authorization server, not the resource). */
  audience: string;
  /** The MCP server's resource identifier, from its protected resource metadata. */
  resource: string;
  /** The host's client id at the RAS: the `client_id` the issued ID-JAG must carry. */
  rasClientId: string;
  scopes: readonly string[];
  subjectToken: SubjectToken;
  fetch: FetchLike;
  /** The clock (epoch milliseconds, default `Date.now`): is the subject token still within its lifetime? */
  now?: () => number;
}

/** An ID-JAG as the IdP issued it. */
export interface IssuedIdJag {
  idJag: string;
  expiresIn: number | undefined;
  /** The granted scopes; RFC 8693 §2.2.1 omits `scope` when identical to the request. */
  scope: string | undefined;
}

/** Errors by which the IdP states the organization's policy (ID-JAG §4.3.3, EMA "never fall back"). */
const POLICY_ERRORS = new Set(['invalid_target', 'access_denied', 'invalid_scope', 'unauthorized_client']);

/** Maps an error answer of the IdP's token endpoint to a typed error. */
function idpTokenError({ body }: TokenErrorAnswer, subjectToken: SubjectToken, now: number): Error {
  const { error, error_description: description } = body;
  if (POLICY_ERRORS.has(error)) return new PolicyDenialError('idp', error, description);
  if (error === 'invalid_client') return new ClientAuthenticationError('idp');
  if (error === 'insufficient_user_authentication') {
    return new InsufficientUserAuthenticationError('idp', description, {
      ...(body.max_age === undefined ? {} : { maxAge: body.max_age }),
      ...(body.acr_values === undefined ? {} : { acrValues: body.acr_values }),
    });
  }
  if (error === 'invalid_grant') {
    // An ID token refused within its own lifetime was revoked (sign-out elsewhere, the user disabled), not expired.
    if (subjectToken.expiresAt !== undefined && subjectToken.expiresAt > now) {
      return new AccessRevokedError('idp', 'the identity provider no longer accepts this sign-in');
    }
    const kind = subjectToken.type === TOKEN_TYPE_ID_TOKEN ? 'ID token' : 'refresh token';
    return new SubjectTokenUnavailableError(`the identity provider rejected the ${kind}`);
  }
  return new TokenResponseError('idp', `error ${error}`);
}

/**
 * Requests an ID-JAG from the IdP by RFC 8693 token exchange, and refuses one that is not what was asked for
 * (`typ`, `aud`, `resource`, `client_id`: {@link checkIssuedIdJag}) before anyone can forward it.
 */
export async function requestIdJag(request: IdJagRequest): Promise<IssuedIdJag> {
  const exchange: TokenExchangeRequest = {
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    audience: request.audience,
    resource: request.resource,
    ...(request.scopes.length > 0 ? { scope: formatScope(request.scopes) } : {}),
    subject_token: request.subjectToken.token,
    subject_token_type: request.subjectToken.type,
  };
  const params = new URLSearchParams(exchange);
  const answer = await postTokenRequest(
    'idp',
    request.fetch,
    request.tokenEndpoint,
    params,
    request.clientAuthentication,
  );
  if (!answer.ok) throw idpTokenError(answer.error, request.subjectToken, (request.now ?? Date.now)());
  // RFC 8693 §2.2.1: the response is an RFC 6749 §5.1 token response plus issued_token_type.
  const body = answer.body;
  // RFC 8693 §2.2.1: the issued token type must be the one we asked for.
  if (body.issued_token_type !== TOKEN_TYPE_ID_JAG) {
    throw new TokenResponseError('idp', `issued_token_type is ${String(body.issued_token_type)}`);
  }
  // RFC 8693 §2.2.1: token_type N_A for a token that is not an access token; compared case-insensitively (RFC 6749 §5.1).
  if (body.token_type.toLowerCase() !== TOKEN_TYPE_NOT_APPLICABLE.toLowerCase()) {
    throw new TokenResponseError('idp', `token_type is ${body.token_type}`);
  }
  if (body.access_token.length === 0) throw new TokenResponseError('idp', 'access_token is empty');
  checkIssuedIdJag(body.access_token, request);
  return { idJag: body.access_token, expiresIn: readExpiresIn('idp', body.expires_in), scope: body.scope };
}
