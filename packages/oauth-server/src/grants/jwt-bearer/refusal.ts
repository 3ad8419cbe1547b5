/** The OAuth error a refused redemption answers with (ID-JAG §4.4.1, RFC 7523 §3.1, RFC 8707 §2, RFC 9396 §5). */
export type RefusalError = 'invalid_grant' | 'invalid_target' | 'invalid_scope' | 'invalid_authorization_details';

/**
 * The precise reasons a redemption is refused that are not JWT validation codes of `@ema/jwt`. They go to the
 * audit log only; the client sees the bare OAuth error.
 */
export type RefusalReason =
  | 'ERR_ID_JAG_REPLAYED'
  | 'ERR_ID_JAG_CUT_OFF'
  | 'ERR_ID_JAG_CNF_UNPROVEN'
  | 'ERR_ID_JAG_CNF_MISMATCH'
  | 'ERR_ID_JAG_CNF_UNSUPPORTED'
  | 'ERR_SUBJECT_UNKNOWN'
  | 'ERR_RESOURCE_MISSING'
  | 'ERR_RESOURCE_NOT_SERVED'
  | 'ERR_RESOURCE_NOT_GRANTED'
  | 'ERR_RESOURCE_AMBIGUOUS'
  | 'ERR_CLIENT_NOT_ALLOWED_AT_RESOURCE'
  | 'ERR_NO_GRANTABLE_SCOPE'
  | 'ERR_ID_JAG_ACT_UNSUPPORTED'
  | 'ERR_ID_JAG_AUD_TENANT_UNSUPPORTED'
  | 'ERR_ID_JAG_CNF_UNSUPPORTED'
  | 'ERR_AUD_SUB_MISMATCH'
  | 'ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE'
  | 'ERR_AUTHORIZATION_DETAILS_INVALID'
  | 'ERR_AUTHORIZATION_DETAILS_NOT_FOR_RESOURCE'
  | 'ERR_AUTHORIZATION_DETAILS_NOT_GRANTED'
  | 'ERR_AUTHORIZATION_DETAILS_REQUEST_INVALID'
  | 'ERR_AUTHORIZATION_DETAILS_EXCEED_GRANT'
  | 'ERR_UNEXPECTED';

/** A refused redemption: the OAuth error for the client, the precise reason for the audit log. */
export class RedemptionRefusal extends Error {
  readonly error: RefusalError;
  readonly reason: string;
  /** Sent as `error_description` for the errors other than `invalid_grant`; never for `invalid_grant` (no oracle). */
  readonly description: string | undefined;

  constructor(error: RefusalError, reason: string, description?: string) {
    super(reason);
    this.name = 'RedemptionRefusal';
    this.error = error;
    this.reason = reason;
    this.description = error === 'invalid_grant' ? undefined : description;
  }
}
