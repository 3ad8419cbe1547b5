import type { OAuthError } from '../../errors/oauth-error.js';

/**
 * A designed refusal of the token exchange: the OAuth error the client sees, and the precise reason (plus details)
 * that only the audit log sees. The steps throw it, and so may the seams an IdP provides; the grant records it once
 * and answers its `oauthError`.
 */
export class ExchangeRefusal extends Error {
  /** Stable code of this class (the precise cause is in `reason`). */
  static readonly code = 'ERR_EXCHANGE_REFUSED';
  /** Always {@link ExchangeRefusal.code}. */
  readonly code = ExchangeRefusal.code;
  override readonly name = 'ExchangeRefusal';
  /** The error answered to the client, with its fixed description. */
  readonly oauthError: OAuthError;
  /** The precise, stable reason written to the audit log (`unknown_resource`, `id_token_revoked`, …). */
  readonly reason: string;
  /** Audit details; never sent to the client. */
  readonly details: Readonly<Record<string, unknown>>;

  /** Wraps the client-facing error with the audit reason. */
  constructor(oauthError: OAuthError, reason: string, details: Readonly<Record<string, unknown>> = {}) {
    super(reason);
    this.oauthError = oauthError;
    this.reason = reason;
    this.details = details;
  }
}
