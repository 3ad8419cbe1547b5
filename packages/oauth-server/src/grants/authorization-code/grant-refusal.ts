import type { OAuthError } from '../../errors/oauth-error.js';
import type { RedemptionAuditLog } from '../jwt-bearer/redemption-storage.js';

/** A refused authorization code or refresh token request: the error for the client, the reason for the audit log. */
export class GrantRefusal extends Error {
  override name = 'GrantRefusal';
  readonly oauthError: OAuthError;
  readonly reason: string;
  /** Creates the refusal; `reason` is an `ERR_…` code recorded in the audit log only. */
  constructor(oauthError: OAuthError, reason: string) {
    super(reason);
    this.oauthError = oauthError;
    this.reason = reason;
  }
}

/** Records a refused request (inside the atomic commit). */
export function auditGrantRefusal(
  audit: RedemptionAuditLog,
  type: string,
  refusal: GrantRefusal,
  clientId: string,
  details: Record<string, unknown> = {},
): void {
  audit.record({
    type,
    outcome: 'deny',
    reason: refusal.reason,
    clientId,
    details: { error: refusal.oauthError.error, ...details },
  });
}
