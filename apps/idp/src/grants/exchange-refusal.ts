import type { OAuthError } from '@ema/oauth-server';

/**
 * A designed refusal of the token exchange: the OAuth error the client sees, and the precise reason (plus
 * details) that only the audit log sees.
 */
export class ExchangeRefusal extends Error {
  override readonly name = 'ExchangeRefusal';
  readonly oauthError: OAuthError;
  readonly reason: string;
  readonly details: Record<string, unknown>;

  /** Wraps the client-facing error with the audit reason. */
  constructor(oauthError: OAuthError, reason: string, details: Record<string, unknown> = {}) {
    super(reason);
    this.oauthError = oauthError;
    this.reason = reason;
    this.details = details;
  }
}
