import { parseScope, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { InvalidRequestError } from '../../errors/token-errors.js';
import { ExchangeRefusal } from './exchange-refusal.js';

/** The subject token types accepted (ID-JAG §4.3: an ID token MUST be accepted; the IdP's refresh tokens too). */
export type SubjectTokenType = typeof TOKEN_TYPE_ID_TOKEN | typeof TOKEN_TYPE_REFRESH_TOKEN;

/** The validated parameters of an ID-JAG token-exchange request (RFC 8693 §2.1, ID-JAG §4.3.1). */
export interface TokenExchangeParameters {
  readonly subjectToken: string;
  readonly subjectTokenType: SubjectTokenType;
  readonly audience: string;
  readonly resource: string;
  /** `undefined` when no `scope` was sent. */
  readonly scopes: readonly string[] | undefined;
}

function refuse(reason: string, description: string): ExchangeRefusal {
  return new ExchangeRefusal(new InvalidRequestError(description), reason);
}

/**
 * Step 2 of the profile's IdP checks: parameters present, known and single (repetition was refused by the form
 * parser); `requested_token_type` is the ID-JAG type; `subject_token_type` supported; no `actor_token`.
 */
export function readTokenExchangeParameters(params: ReadonlyMap<string, string>): TokenExchangeParameters {
  const requestedTokenType = params.get('requested_token_type');
  if (requestedTokenType === undefined)
    throw refuse('missing_requested_token_type', 'requested_token_type is required');
  if (requestedTokenType !== TOKEN_TYPE_ID_JAG) {
    throw refuse('unsupported_requested_token_type', `requested_token_type must be ${TOKEN_TYPE_ID_JAG}`);
  }
  // RFC 8693 §2.1: delegation (actor_token) is not processed here; refusing beats silently ignoring it.
  if (params.has('actor_token') || params.has('actor_token_type')) {
    throw refuse('actor_token_not_supported', 'actor_token is not supported');
  }
  const subjectToken = params.get('subject_token');
  if (subjectToken === undefined) throw refuse('missing_subject_token', 'subject_token is required');
  const subjectTokenType = params.get('subject_token_type');
  if (subjectTokenType === undefined) throw refuse('missing_subject_token_type', 'subject_token_type is required');
  if (subjectTokenType !== TOKEN_TYPE_ID_TOKEN && subjectTokenType !== TOKEN_TYPE_REFRESH_TOKEN) {
    // SAML 2.0 assertions are allowed by ID-JAG §4.3.1 but not supported by this project yet.
    throw refuse('unsupported_subject_token_type', 'unsupported subject_token_type');
  }
  // ID-JAG §4.3.1: audience (the RAS issuer) is REQUIRED; EMA: resource is sent always, so it is required here.
  const audience = params.get('audience');
  if (audience === undefined) throw refuse('missing_audience', 'audience is required');
  const resource = params.get('resource');
  if (resource === undefined) throw refuse('missing_resource', 'resource is required');
  return {
    subjectToken,
    subjectTokenType,
    audience,
    resource,
    scopes: params.has('scope') ? parseScope(params.get('scope')) : undefined,
  };
}
